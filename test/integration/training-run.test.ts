import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runTraining } from '../../src-main/core/training/trainer';
import { loadModel } from '../../src-main/core/training/models/model-files';
import { trainingConfigSchema } from '../../src-shared/training/config';
import type { WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';

const temp = makeTempDir();
after(temp.cleanup);

test('a short run lowers the training and validation loss and saves a loadable model', async () => {
  const train = await makeSyntheticPoses(temp.dir, 16, 21, 'train');
  const val = await makeSyntheticPoses(temp.dir, 6, 22, 'val');
  const config = trainingConfigSchema.parse({
    model: 'alexnet-tiny',
    joints: 14,
    epochs: 8,
    stages: 1,
    batchSize: 8,
    seed: 5,
    backend: 'cpu',
    optimizer: 'Adam',
    lr: 0.001,
    valEvery: 1,
    flip: true,
    flipPairs: LSP_FLIP_PAIRS,
  });
  const events: WorkerEvent[] = [];
  await runTraining(
    { type: 'train', config, dataset: { train, val }, runDir: join(temp.dir, 'run') },
    { emit: (e) => events.push(e), stopRequested: () => false },
  );
  const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.loss] : []));
  const validations = events.flatMap((e) => (e.type === 'validation' ? [e] : []));
  assert.equal(epochs.length, 8);
  assert.ok(epochs[7] < epochs[0] * 0.8, `training loss ${epochs[0]} -> ${epochs[7]}`);
  assert.ok(
    validations[7].loss < validations[0].loss * 0.8,
    `validation loss ${validations[0].loss} -> ${validations[7].loss}`,
  );
  assert.ok(validations.every((v) => v.pck !== null && v.pck >= 0 && v.pck <= 1));
  // The default interval, max(1, round(8 / 10)), checkpoints every epoch.
  assert.equal(events.filter((e) => e.type === 'checkpoint').length, 8);
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished');
  assert.ok(existsSync(join(finished.modelDir, 'model.json')));
  const model = await loadModel(finished.modelDir);
  assert.equal(model.outputs[0].shape[1], 28);
});

test('Adam with an lr schedule resumes from a mid-run checkpoint to the same weights', async () => {
  const train = await makeSyntheticPoses(temp.dir, 8, 31, 'adam');
  const config = trainingConfigSchema.parse({
    model: 'alexnet-tiny',
    joints: 14,
    epochs: 3,
    stages: 1,
    batchSize: 4,
    seed: 9,
    backend: 'cpu',
    optimizer: 'Adam',
    lr: 0.001,
    lrSchedule: { kind: 'step', everyEpochs: 1, gamma: 0.5 },
    checkpointEvery: 1,
    keepCheckpoints: 0,
  });
  const control = { emit: () => undefined, stopRequested: () => false };
  const straight = join(temp.dir, 'adam-straight');
  await runTraining({ type: 'train', config, dataset: { train, val: [] }, runDir: straight }, control);
  const resumed = join(temp.dir, 'adam-resumed');
  await runTraining(
    {
      type: 'train',
      config,
      dataset: { train, val: [] },
      runDir: resumed,
      resumeFrom: join(straight, 'checkpoints', 'epoch-0001-batch-00000-iter-00000002'),
    },
    control,
  );
  const a = (await loadModel(join(straight, 'model'))).getWeights().map((w) => w.dataSync());
  const b = (await loadModel(join(resumed, 'model'))).getWeights().map((w) => w.dataSync());
  a.forEach((values, i) =>
    values.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) <= 1e-5, `weight ${i}[${j}]: ${v} vs ${b[i][j]}`)),
  );
});
