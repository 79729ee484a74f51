// Probe suite (issue 14), leftovers: a crashed writer leaves `.partial-*` checkpoint folders,
// `model.partial-PID` folders and durable-write temp files behind. Opening the project cleans
// those whose writer is dead on this host, and never touches a live writer's, nor a run that
// a process on another host holds.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { RUN_LOCK_FILE } from '../../src-main/core/files/run-lock';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir } from '../support/paths';
import { testStudio } from '../support/studio';

const temp = makeTempDir();
after(temp.cleanup);

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  return {
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))),
  };
}

function folder(path: string): string {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'weights.bin'), 'partial');
  return path;
}

function file(path: string, ageSeconds = 0): string {
  writeFileSync(path, 'partial');
  if (ageSeconds) utimesSync(path, Date.now() / 1000 - ageSeconds, Date.now() / 1000 - ageSeconds);
  return path;
}

test("opening a project removes dead writers' partial checkpoints, models and temp files, never a live writer's", async () => {
  const project = join(temp.dir, 'project');
  createProject(project, 'Leftovers', LSP14).close();
  const dead = deadPid();
  const live = liveProcess();
  const run = join(project, 'runs', 'run-1');
  const checkpoints = join(run, 'checkpoints');
  const name = 'epoch-0001-batch-00001-iter-00000001';
  const gone = [
    folder(join(checkpoints, `.partial-${name}-${dead}`)),
    folder(join(run, `model.partial-${dead}`)),
    folder(join(run, 'stages', `stage-1.partial-${dead}`)),
    file(join(run, `.errors.json.${dead}.tmp`)),
    file(join(project, `.export.json.${dead}-0a1b2c3d4e5f.tmp`), 2 * 3600),
  ];
  const kept = [
    folder(join(checkpoints, name)),
    folder(join(checkpoints, `.partial-${name}-${live.pid}`)),
    folder(join(checkpoints, `.partial-${name}-${process.pid}`)),
    folder(join(run, `model.partial-${live.pid}`)),
    file(join(run, `.errors.json.${live.pid}.tmp`)),
    // A dead pid's fresh temp file outside a run may be another host's writer: it waits.
    file(join(project, `.labels.json.${dead}-0a1b2c3d4e5f.tmp`)),
  ];
  // A run held from another host: its pids mean nothing here, so nothing in it is touched.
  const remote = join(project, 'runs', 'run-2');
  folder(remote);
  writeFileSync(
    join(remote, RUN_LOCK_FILE),
    JSON.stringify({ pid: dead, host: 'another-host.example', startedAt: Date.now() }),
  );
  kept.push(
    folder(join(remote, 'checkpoints', `.partial-${name}-${dead}`)),
    folder(join(remote, `model.partial-${dead}`)),
  );

  const { studio, call } = testStudio(join(temp.dir, 'home'));
  try {
    await call('projects.open', { folder: project });
    for (const path of gone) assert.equal(existsSync(path), false, `removed: ${path}`);
    for (const path of kept) assert.equal(existsSync(path), true, `kept: ${path}`);
  } finally {
    await studio.close();
    await live.stop();
  }
});
