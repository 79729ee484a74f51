// The estimate before a run, through the API as the Train view asks for it: steps and disk
// from the settings, no time until a speed is known; a calibration in a worker gives one,
// a finished run of the same model, backend and batch gives its own; and the run then writes
// what the estimate said it would. The run's stored mean-pose baseline is the baseline of its
// validation split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../support/paths';
import { testStudio } from '../support/studio';
import { getProjectCatalogs } from '../../src-main/core/catalog/project-catalogs';
import { listExamples } from '../../src-main/core/catalog/examples';
import { meanPoseBaseline, posesInView } from '../../src-main/core/metrics/mean-pose-baseline';
import { runIterations, trainingConfigSchema } from '../../src-shared/training/config';
import { describeEstimate } from '../../src-shared/training/run-estimate';

function bytesUnder(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * expected,
    `${what}: ${actual} bytes on disk, estimated ${expected}`,
  );
}

test('the estimate names its speed source, and a run writes the disk it estimated', { timeout: 240_000 }, async (t) => {
  const { dir, cleanup } = makeTempDir();
  const { studio, call, finish } = testStudio(join(dir, 'home'));
  t.after(async () => {
    await studio.close();
    cleanup();
  });
  const project = join(dir, 'sample-project');
  assert.equal(
    (await finish((await call('projects.createSample', { folder: project, count: 40, seed: 3 })).taskId)).state,
    'succeeded',
  );
  const settings = {
    model: 'alexnet-tiny',
    optimizer: 'MomentumSGD',
    epochs: 2,
    batchSize: 8,
    seed: 5,
    backend: 'cpu',
    stages: 2,
    refineEpochs: 1,
    checkpointEvery: 1,
    keepCheckpoints: 0,
  } as const;

  const before = await call('training.estimate', { project, settings });
  const { instances } = await call('training.summary', { project });
  assert.equal(before.trainCount, instances.train);
  assert.equal(
    before.iterations,
    runIterations(trainingConfigSchema.parse({ ...settings, joints: 14 }), instances.train),
  );
  assert.equal(before.backend, 'cpu');
  assert.equal(before.params, 91_516);
  assert.equal(before.speed, null, 'no earlier run and no calibration: no speed');
  assert.equal(before.seconds, null);
  assert.ok(before.freeBytes !== null && before.freeBytes > 0);
  assert.match(describeEstimate(before), /time unknown until the first steps/);

  // A calibration cancelled at once ends its worker and leaves no figure behind.
  const cancelled = await call('training.measureSpeed', { project, settings });
  await call('tasks.cancel', { id: cancelled.taskId });
  assert.equal((await finish(cancelled.taskId)).state, 'cancelled');
  assert.equal((await call('training.estimate', { project, settings })).speed, null);

  const calibration = await call('training.measureSpeed', { project, settings });
  assert.equal((await finish(calibration.taskId)).state, 'succeeded');
  const measured = await call('training.estimate', { project, settings });
  assert.equal(measured.speed?.source, 'measured');
  assert.ok(
    measured.speed.secondsPerStep > 0 && measured.speed.secondsPerStep < 10,
    `${measured.speed.secondsPerStep} s per step`,
  );
  assert.equal(measured.seconds, measured.iterations * measured.speed.secondsPerStep);
  assert.match(describeEstimate(measured), /measured just now/);

  const { runId, taskId } = await call('training.start', { project, settings, name: 'sized' });
  assert.equal((await finish(taskId)).state, 'succeeded');
  const { run } = await call('runs.get', { project, runId });
  const after = await call('training.estimate', { project, settings });
  assert.equal(after.speed?.source, 'run', 'an earlier run of the same model, backend and batch is preferred');
  assert.equal(after.speed.runName, 'sized');
  assert.match(describeEstimate(after), /from your run 'sized'/);

  // Every checkpoint is kept (keepCheckpoints 0): what the estimate counted and sized is on disk.
  const checkpoints = readdirSync(join(run.dir, 'checkpoints'));
  assert.equal(checkpoints.length, before.disk.checkpointsWritten);
  for (const name of checkpoints)
    near(bytesUnder(join(run.dir, 'checkpoints', name)), before.disk.checkpointBytes, 0.03, name);
  near(bytesUnder(join(run.dir, 'model')), before.disk.modelBytes, 0.03, 'model/');
  near(bytesUnder(join(run.dir, 'stages')), before.disk.stagesBytes, 0.05, 'stages/');
  near(bytesUnder(run.dir), before.disk.totalBytes, 0.03, 'the run folder');

  // The baseline the run stored is the mean pose's PCK on its val split, in the crop rule's views.
  const catalog = getProjectCatalogs(studio.context).get(project);
  const baseline = meanPoseBaseline(
    posesInView(listExamples(catalog, 'train')),
    posesInView(listExamples(catalog, 'val')),
    { alpha: 0.2 },
  ).metrics.pck.mean;
  assert.ok(run.baselineValPck !== null && baseline !== null);
  assert.equal(run.baselineValPck, baseline);
});
