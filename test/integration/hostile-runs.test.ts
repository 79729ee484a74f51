// Probe suite (issue 14), run ownership: while another process trains a run, this studio
// must neither call it interrupted nor resume or delete it; metric rows never duplicate.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { addMetrics, createRun, deleteMetricsAfter, listMetrics, updateRun } from '../../src-main/core/catalog/runs';
import { acquireRunLock, RUN_LOCK_FILE } from '../../src-main/core/files/run-lock';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir } from '../support/paths';
import { testStudio } from '../support/studio';

const temp = makeTempDir();
after(temp.cleanup);

/** A live process that is not this one, standing in for a CLI `deeppose train`. */
function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  return {
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))),
  };
}

test('a run another live process trains is neither marked interrupted nor resumed nor deleted; once it dies it is', async () => {
  const project = join(temp.dir, 'owned');
  const catalog = createProject(project, 'Owned', LSP14);
  const run = createRun(catalog, { name: 'cli run', config: { model: 'alexnet-tiny' } });
  updateRun(catalog, run.id, { status: 'running', startedAt: Date.now() });
  catalog.close();
  const trainer = otherProcess();
  mkdirSync(run.dir, { recursive: true });
  writeFileSync(
    join(run.dir, RUN_LOCK_FILE),
    JSON.stringify({ pid: trainer.pid, host: hostname(), startedAt: Date.now() }),
  );

  const { studio, call } = testStudio(join(temp.dir, 'home'));
  try {
    const listed = await call('runs.list', { project });
    assert.equal(listed[0].status, 'running', 'not called interrupted while its owner lives');
    const resume = await studio.dispatch('training.resume', { project, runId: run.id });
    assert.ok(!resume.ok && resume.error.kind === 'conflict', JSON.stringify(resume));
    assert.match(
      resume.ok ? '' : resume.error.message,
      new RegExp(`run 'cli run' is being trained by process ${trainer.pid} on `),
    );
    const removed = await studio.dispatch('runs.delete', { project, runId: run.id });
    assert.ok(!removed.ok && removed.error.kind === 'conflict');
    assert.ok(existsSync(run.dir), 'the run folder is kept');

    await trainer.stop();
    const after = await call('runs.get', { project, runId: run.id });
    assert.equal(after.run.status, 'stopped', 'a dead owner leaves a stale lock: the run was interrupted');
    assert.match(after.run.error ?? '', /interrupted/);
  } finally {
    await studio.close();
  }
});

test('the run lock refuses a live owner, takes over a stale one, and is released by its holder', async () => {
  const runDir = join(temp.dir, 'lock-run');
  const other = otherProcess();
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, RUN_LOCK_FILE), JSON.stringify({ pid: other.pid, host: hostname(), startedAt: 1 }));
  assert.throws(() => acquireRunLock(runDir, 'r'), /is being trained by process \d+/);
  await other.stop();
  const lock = acquireRunLock(runDir, 'r');
  assert.ok(existsSync(join(runDir, RUN_LOCK_FILE)));
  lock.release();
  assert.equal(existsSync(join(runDir, RUN_LOCK_FILE)), false);
});

test('metric rows are one per run, split and iteration; a resume drops the rows past its checkpoint', () => {
  const catalog = createProject(join(temp.dir, 'metrics'), 'Metrics', LSP14);
  const run = createRun(catalog, { name: 'm', config: {} });
  const row = (iteration: number, loss: number, split: 'train' | 'val' = 'train') => ({
    epoch: 0,
    iteration,
    split,
    loss,
    pck: null,
    imagesPerSecond: null,
    at: 0,
  });
  addMetrics(
    catalog,
    run.id,
    [1, 2, 3, 4].map((i) => row(i, 1)),
  );
  addMetrics(catalog, run.id, [row(4, 0.5, 'val')]);
  deleteMetricsAfter(catalog, run.id, 2); // resumed from the checkpoint at iteration 2
  addMetrics(
    catalog,
    run.id,
    [2, 3, 4].map((i) => row(i, 0.9)),
  );
  const rows = listMetrics(catalog, run.id);
  assert.deepEqual(
    rows.map((r) => [r.iteration, r.split, r.loss]),
    [
      [1, 'train', 1],
      [2, 'train', 0.9],
      [3, 'train', 0.9],
      [4, 'train', 0.9],
    ],
  );
  catalog.close();
});
