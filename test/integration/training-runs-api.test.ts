// A training run driven through the API as the Train view drives it: the worker process
// trains, the host stores runs and metric rows in the catalog, stop and resume work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeTempDir } from '../support/paths';
import { testStudio } from '../support/studio';
import type { WorkerEvent } from '../../src-shared/training/protocol';

test('a run started through the API trains in a worker, stops with a checkpoint, resumes and finishes', async (t) => {
  const { dir, cleanup } = makeTempDir();
  const { studio, call, finish } = testStudio(join(dir, 'home'));
  t.after(async () => {
    await studio.close();
    cleanup();
  });
  const project = join(dir, 'sample-project');
  const sample = await call('projects.createSample', { folder: project, count: 60, seed: 3 });
  assert.equal((await finish(sample.taskId)).state, 'succeeded');

  const summary = await call('training.summary', { project });
  assert.ok(summary.instances.train > 30 && summary.instances.val > 0, JSON.stringify(summary));
  const backends = await call('training.backends', {});
  assert.equal(backends.filter((b) => b.preferred).length, 1);

  const events: WorkerEvent[] = [];
  studio.context.bus.subscribe((name, payload) => {
    if (name === 'training.event') events.push((payload as { event: WorkerEvent }).event);
  });
  const settings = {
    model: 'alexnet-tiny',
    optimizer: 'Adam',
    lr: 0.001,
    epochs: 4,
    // The default three stages, the refinement stages kept short: the run crosses stages, and a
    // close-up stage's default 4 draws of every example would be two thirds of the test's time.
    refineEpochs: 1,
    refineDraws: 1,
    batchSize: 8,
    seed: 5,
    backend: 'cpu',
    checkpointEvery: 1,
    keepCheckpoints: 2,
    keepBestCheckpoint: false,
  } as const;
  const { runId, taskId } = await call('training.start', { project, settings });
  while (!events.some((e) => e.type === 'progress')) await new Promise((r) => setTimeout(r, 50));
  await call('training.stop', { project, runId });
  const stoppedTask = await finish(taskId);
  assert.equal(stoppedTask.state, 'cancelled', 'a stopped run is not a succeeded task');
  assert.equal(stoppedTask.message, 'stopped · checkpoint saved');
  let { run } = await call('runs.get', { project, runId });
  assert.equal(run.status, 'stopped');
  assert.ok(
    events.some((e) => e.type === 'stopped' && e.checkpoint),
    'stop wrote a checkpoint',
  );

  const resumed = await call('training.resume', { project, runId });
  assert.equal((await finish(resumed.taskId)).state, 'succeeded');
  const detail = await call('runs.get', { project, runId });
  run = detail.run;
  assert.equal(run.status, 'finished');
  assert.equal(run.backend, 'cpu');
  assert.ok(run.bestValPck !== null && run.bestValPck >= 0);
  assert.ok(detail.metrics.some((m) => m.split === 'val'));
  const validation = events.findLast((e) => e.type === 'validation');
  assert.ok(
    validation?.type === 'validation' && validation.samples.length > 0,
    'validation events carry preview images',
  );
  assert.equal(validation.samples[0].joints.length, 14);
  assert.ok(detail.metrics.filter((m) => m.split === 'train').length >= 2);

  // What the API reported is what the catalog file holds.
  const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  t.after(() => db.close());
  const rows = db.prepare('SELECT split, COUNT(*) AS n FROM metrics WHERE run_id = ? GROUP BY split').all(runId) as {
    split: string;
    n: number;
  }[];
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.split, r.n])), {
    train: detail.metrics.filter((m) => m.split === 'train').length,
    val: detail.metrics.filter((m) => m.split === 'val').length,
  });
  // One checkpoint per epoch was written, only the newest two are kept.
  assert.deepEqual(readdirSync(join(run.dir, 'checkpoints')).filter((name) => !name.startsWith('.')).length, 2);
  assert.ok(events.filter((e) => e.type === 'checkpoint').length > 2);
  const listed = await call('runs.list', { project });
  assert.deepEqual(
    listed.map((r) => r.id),
    [runId],
  );
});
