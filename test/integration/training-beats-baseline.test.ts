// The point of training: a short run on sample people must end clearly above the mean-pose
// baseline ("knows nothing about the image") on the validation split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir } from '../support/paths';
import { testStudio } from '../support/studio';
import { getProjectCatalogs } from '../../src-main/core/catalog/project-catalogs';
import { listExamples } from '../../src-main/core/catalog/examples';
import { meanPoseBaseline, posesInView } from '../../src-main/core/metrics/mean-pose-baseline';

/** PCK points (of 100) the model must clear the baseline by. */
const MARGIN = 0.05;

test('a short run on sample data lowers validation loss and beats the mean-pose baseline on val', async (t) => {
  const { dir, cleanup } = makeTempDir();
  const { studio, call, finish } = testStudio(join(dir, 'home'));
  t.after(async () => {
    await studio.close();
    cleanup();
  });
  const project = join(dir, 'sample');
  const sample = await call('projects.createSample', { folder: project, count: 800, seed: 11 });
  assert.equal((await finish(sample.taskId)).state, 'succeeded');

  const settings = {
    model: 'alexnet-tiny',
    optimizer: 'Adam',
    lr: 0.001,
    epochs: 24,
    stages: 1,
    batchSize: 16,
    valEvery: 6,
    checkpointEvery: 24,
    seed: 2,
    backend: 'wasm',
  } as const;
  const { runId, taskId } = await call('training.start', { project, settings });
  assert.equal((await finish(taskId, 600_000)).state, 'succeeded');
  const { run, metrics } = await call('runs.get', { project, runId });
  const validations = metrics.filter((m) => m.split === 'val');
  assert.ok(
    validations.at(-1)!.loss < validations[0].loss,
    `validation loss fell: ${validations.map((v) => v.loss.toFixed(4)).join(' → ')}`,
  );

  const catalog = getProjectCatalogs(studio.context).get(project);
  const baseline = meanPoseBaseline(
    posesInView(listExamples(catalog, 'train')),
    posesInView(listExamples(catalog, 'val')),
  ).metrics.pck.mean!;
  console.log(
    `validation PCK@0.2: model ${run.bestValPck}, mean-pose baseline ${baseline} (${run.backend}, ${run.durationSeconds?.toFixed(0)} s)`,
  );
  assert.ok(run.bestValPck! > baseline + MARGIN, `model ${run.bestValPck} vs baseline ${baseline}`);
});
