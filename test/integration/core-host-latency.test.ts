// Heavy work off the desktop's main thread, emulated without Electron: the core host (the
// whole studio) runs in a child process, as it runs in a utilityProcess on the desktop, and
// this test process plays main. While a 2,000-image import runs in the core, other calls
// must keep answering quickly, and main's own event loop must stay free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connectCoreHost, type CoreHostClient } from '../../src-main/core/host/core-host-client';
import { forkLauncher, workerEntry } from '../../src-main/core/worker/worker-launcher';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import type { CallInput, CallName, CallOutput } from '../../src-shared/api/contract';
import type { ImportReport } from '../../src-shared/api/catalog.contract';
import type { Task } from '../../src-shared/api/tasks.contract';
import { makeTempDir, repoRoot } from '../support/paths';

const IMAGES = 2000;
/** Past the size whose catalog write goes to the write thread (THREAD_FROM), so the warm-up loads the thread's modules too. */
const WARM_UP_IMAGES = 300;
const temp = makeTempDir();
let core: CoreHostClient;
let csvPath: string;
let warmUpCsv: string;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const reply = await core.dispatch(name, input);
  if (!reply.ok) throw new Error(`${name}: ${reply.error.kind}: ${reply.error.message}`);
  return reply.value as CallOutput<N>;
}

before(async () => {
  ({ csvPath } = await generateSample({
    outDir: join(temp.dir, 'sample'),
    count: IMAGES,
    seed: 3,
    width: 96,
    height: 96,
  }));
  ({ csvPath: warmUpCsv } = await generateSample({
    outDir: join(temp.dir, 'warm-up'),
    count: WARM_UP_IMAGES,
    seed: 4,
    width: 96,
    height: 96,
  }));
  const host = forkLauncher({
    path: join(repoRoot, 'src-main', 'core', 'host', 'core-host-entry.ts'),
    execArgv: ['--import', 'tsx'],
  });
  core = connectCoreHost(host as never, {
    home: join(temp.dir, 'home'),
    door: 'desktop',
    launchWorker: forkLauncher,
    workerEntry: workerEntry(),
  });
  await core.ready;
});

after(async () => {
  await core?.close();
  temp.cleanup();
});

test(
  `while a ${IMAGES}-image import runs in the core host, projects.list answers in under 100 ms even on a busy machine`,
  { timeout: 300_000 },
  async () => {
    const project = join(temp.dir, 'project');
    assert.equal((await call('studio.info', {})).door, 'desktop');
    await call('projects.create', { folder: project, name: 'latency', skeleton: { preset: 'lsp14' } });
    // A first import loads the import's modules and its write thread's (compiled by tsx here, from a
    // cold cache on a fresh clone: CPU the 2 cores would otherwise share with the timed import; the
    // app runs them prebuilt), and a first projects.list its own.
    const warmUp = await call('datasets.import', { project, format: 'csv', path: warmUpCsv });
    while ((await call('tasks.get', { id: warmUp.taskId })).state === 'running')
      await new Promise((resolve) => setTimeout(resolve, 50));
    await call('projects.list', {});

    const mainLoop = monitorEventLoopDelay({ resolution: 10 });
    mainLoop.enable();
    const started = performance.now();
    const { taskId } = await call('datasets.import', { project, format: 'csv', path: csvPath });
    const latencies: number[] = [];
    let task: Task;
    for (;;) {
      const sent = performance.now();
      await call('projects.list', {});
      latencies.push(performance.now() - sent);
      task = await call('tasks.get', { id: taskId });
      if (task.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const importMs = performance.now() - started;
    mainLoop.disable();

    assert.equal(task.state, 'succeeded', task.error ?? '');
    assert.equal((task.result as ImportReport).imagesAdded, IMAGES);
    const max = Math.max(...latencies);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `import of ${IMAGES} images: ${(importMs / 1000).toFixed(1)} s; projects.list during it: ${latencies.length} calls, ` +
        `median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${max.toFixed(1)} ms; main's event-loop delay max ${(mainLoop.max / 1e6).toFixed(1)} ms`,
    );
    assert.ok(
      latencies.length >= 10,
      `the import was too short to measure anything (${latencies.length} calls in ${importMs.toFixed(0)} ms)`,
    );
    // On a shared 2-core machine this idle process is itself held off the CPU now and then: the
    // stall it measured on its own loop is scheduling, not the core, and is allowed on top. A
    // catalog write on the core's loop (150-230 ms for this import) still fails it.
    const noise = mainLoop.max / 1e6;
    assert.ok(
      max < 100 + noise,
      `projects.list took up to ${max.toFixed(0)} ms during the import (this process's own loop stalled up to ${noise.toFixed(0)} ms)`,
    );
    assert.ok(sorted[Math.floor(sorted.length * 0.95)] < 100, 'the 95th percentile of projects.list is above 100 ms');

    // Media requests (thumbnails are made by sharp in the core) come back as files main can send.
    const { items } = await call('images.list', { project, limit: 1 });
    const thumb = await core.media(items[0].path, 'thumb');
    assert.equal(thumb.contentType, 'image/jpeg');
    await assert.rejects(core.media('/etc/passwd', 'full'), /not found/);
  },
);
