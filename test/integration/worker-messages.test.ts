// Every message a real worker sends passes its schema at the host (a refusal would end the job
// as failed with its one line), and a request the worker cannot read fails with one line too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { startTrainingWorker } from '../../src-main/core/runs/training-host';
import { startPredictionWorker } from '../../src-main/core/predictions/prediction-host';
import { startSuggestWorker } from '../../src-main/core/suggest/suggest-host';
import { poseModelsDir } from '../../src-main/core/suggest/pose-model-package';
import { startWorkerJob } from '../../src-main/core/worker/worker-job';
import { probeInChild } from '../../src-main/core/worker/probe-in-child';
import { forkLauncher } from '../../src-main/core/worker/worker-launcher';
import { trainingConfigSchema } from '../../src-shared/training/config';
import {
  CalibrationEvent,
  PredictionEvent,
  type HostMessage,
  type TrainRequest,
  type WorkerEvent,
} from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';

const temp = makeTempDir();
after(temp.cleanup);
let dataset: TrainRequest['dataset'];
let modelDir: string | null = null;

const config = trainingConfigSchema.parse({
  model: 'alexnet-tiny',
  joints: 14,
  epochs: 2,
  stages: 2,
  refineDraws: 1,
  batchSize: 4,
  seed: 3,
  backend: 'cpu',
  flip: true,
  flipPairs: LSP_FLIP_PAIRS,
});

before(async () => {
  dataset = {
    train: await makeSyntheticPoses(temp.dir, 4, 21, 'train'),
    val: await makeSyntheticPoses(temp.dir, 2, 22, 'val'),
  };
});

/** The end, asserted not to be a failure (a refused message ends a job as failed, with its line). */
function assertNotFailed(end: { type: string; error?: string }): void {
  assert.notEqual(end.type, 'failed', end.error);
}

test('a training run: started, progress, epoch, validation (with stageJoints), checkpoint and finished all pass', async () => {
  const events: WorkerEvent[] = [];
  const end = await startTrainingWorker(forkLauncher, { config, dataset, runDir: join(temp.dir, 'run') }, (e) =>
    events.push(e),
  ).done;
  assertNotFailed(end);
  assert.equal(end.type, 'finished');
  if (end.type === 'finished') modelDir = end.modelDir;
  assert.deepEqual(
    new Set(events.map((e) => e.type)),
    new Set(['started', 'progress', 'epoch', 'validation', 'checkpoint', 'finished']),
  );
  assert.ok(events.some((e) => e.type === 'validation' && e.stageJoints?.length === 2));
});

test('a run asked to stop ends with a stopped event that passes', async () => {
  const handle = startTrainingWorker(forkLauncher, { config, dataset, runDir: join(temp.dir, 'stopped') }, (e) => {
    if (e.type === 'progress') handle.stop();
  });
  const end = await handle.done;
  assertNotFailed(end);
  assert.equal(end.type, 'stopped');
});

test('prediction with the flip check: prediction, predict-skipped, predict-progress and predict-finished all pass', async () => {
  assert.ok(modelDir, 'the training test made a model');
  const events: PredictionEvent[] = [];
  const items = [{ imagePath: dataset.val[0].imagePath }, { imagePath: join(temp.dir, 'missing.png') }];
  const end = await startPredictionWorker(
    forkLauncher,
    { modelDir, items, backend: 'cpu', cropScale: config.cropScale, flipCheck: { flipPairs: LSP_FLIP_PAIRS } },
    (e) => events.push(e),
  ).done;
  assertNotFailed(end);
  assert.deepEqual(
    new Set(events.map((e) => e.type)),
    new Set(['prediction', 'predict-skipped', 'predict-progress', 'predict-finished']),
  );
});

test('calibration and a backend probe answer with messages that pass', async () => {
  const isEnd = (e: CalibrationEvent): e is CalibrationEvent => e.type === 'calibrated' || e.type === 'failed';
  const end = await startWorkerJob(
    forkLauncher,
    { type: 'calibrate', config, examples: dataset.train },
    CalibrationEvent,
    isEnd,
    () => undefined,
    'calibration',
  ).done;
  assertNotFailed(end);
  assert.equal(end.type, 'calibrated');
  assert.equal((await probeInChild('cpu')).ok, true);
});

test(
  'suggest: suggest-started, suggestion, suggest-skipped, suggest-progress and suggest-finished all pass',
  { skip: modelSkip() },
  async () => {
    const types = new Set<string>();
    const imagePaths = [dataset.val[0].imagePath, join(temp.dir, 'missing.png')];
    const end = await startSuggestWorker(
      forkLauncher,
      { modelsDir: null, imagePaths, threshold: 0.3, personThreshold: 0.2, backend: 'cpu' },
      (e) => types.add(e.type),
    ).done;
    assertNotFailed(end);
    assert.deepEqual(
      types,
      new Set(['suggest-started', 'suggestion', 'suggest-skipped', 'suggest-progress', 'suggest-finished']),
    );
  },
);

test('a request the worker cannot read fails its job with one line naming the type and the field', async () => {
  const request = {
    type: 'predict',
    modelDir: 42,
    items: [],
    backend: 'cpu',
    cropScale: 1.5,
  } as unknown as HostMessage;
  const end = await startWorkerJob(
    forkLauncher,
    request,
    PredictionEvent,
    (e): e is PredictionEvent => e.type === 'failed',
    () => undefined,
    'prediction',
  ).done;
  assert.deepEqual(end, {
    type: 'failed',
    error: "the host sent an invalid 'predict' message: modelDir: expected string, received number",
  });
});

function modelSkip(): string | false {
  try {
    poseModelsDir();
    return false;
  } catch (error) {
    return (error as Error).message;
  }
}
