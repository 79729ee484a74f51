// The DeepPose cascade as one run: stage 1 on the whole view, stage 2 re-cropping the person
// around stage 1's estimate, stage 3 refining each joint from close-ups, the later stages
// trained on simulated estimates; the finished model folder is the whole cascade; a run
// stopped inside stage 2, resumed, stopped inside stage 3 and resumed again ends with the
// weights of an unbroken one, in every stage.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTrainingWorker, type EndEvent } from '../../src-main/core/runs/training-host';
import { forkLauncher } from '../../src-main/core/worker/worker-launcher';
import { readCascade } from '../../src-main/core/pose/cascade-files';
import { findResumePoint, readProgress } from '../../src-main/core/pose/checkpoint-folder';
import { trainingConfigSchema } from '../../src-shared/training/config';
import type { TrainRequest, WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';

const temp = makeTempDir('deeppose-cascade-');
after(temp.cleanup);
let dataset: TrainRequest['dataset'];

before(async () => {
  dataset = {
    train: await makeSyntheticPoses(temp.dir, 12, 21, 'train'),
    val: await makeSyntheticPoses(temp.dir, 3, 22, 'val'),
  };
});

// Stages 1 and 2: 2 epochs × 2 iterations each; stage 3: 2 epochs × (12 × 2 draws / 6) = 4 iterations.
const config = trainingConfigSchema.parse({
  model: 'alexnet-tiny',
  joints: 14,
  epochs: 2,
  stages: 3,
  refineEpochs: 2,
  refineDraws: 2,
  batchSize: 6,
  seed: 7,
  backend: 'cpu',
  checkpointEvery: 1,
  augment: true,
  flip: true,
  flipPairs: LSP_FLIP_PAIRS,
});

function run(runDir: string, resumeFrom?: string, onEvent?: (e: WorkerEvent, stop: () => void) => void) {
  const events: WorkerEvent[] = [];
  const handle: ReturnType<typeof startTrainingWorker> = startTrainingWorker(
    forkLauncher,
    { config, dataset, runDir, resumeFrom },
    (event) => {
      events.push(event);
      onEvent?.(event, () => handle.stop());
    },
  );
  return { events, done: handle.done };
}

function weights(modelDir: string): Float32Array {
  const bytes = readFileSync(join(modelDir, 'weights.bin'));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function finished(end: EndEvent): Extract<EndEvent, { type: 'finished' }> {
  assert.equal(end.type, 'finished', end.type === 'failed' ? end.error : `ended as ${end.type}`);
  return end as Extract<EndEvent, { type: 'finished' }>;
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

test('a three-stage run validates each stage through the cascade and saves the whole cascade', async () => {
  const straight = run(join(temp.dir, 'straight'));
  const end = finished(await straight.done);
  assert.equal(end.iteration, 2 * 2 + 2 * 2 + 2 * 4);
  const validations = straight.events.filter((e) => e.type === 'validation');
  assert.deepEqual(
    validations.map((e) => e.epoch),
    [1, 2, 3, 4, 5, 6],
  );
  const progress = straight.events.find((e) => e.type === 'progress');
  assert.equal(progress?.type === 'progress' && progress.totalIterations, 16);
  // Stage 2's validation predicts with the cascade: its samples are in image pixels like stage 1's.
  for (const v of validations)
    if (v.type === 'validation')
      assert.ok(v.samples[0].joints.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const cascade = readCascade(end.modelDir, { cropScale: 1.5 });
  assert.deepEqual(cascade.rule.kinds, ['whole', 'person', 'joints']);
  assert.equal(cascade.dirs.length, 3);
  assert.equal(cascade.rule.sigma, 3); // the default σ (config.ts: 3 since issue 26)
  assert.ok(existsSync(join(end.modelDir, 'stage-3', 'weights.bin')));
  assert.equal(readProgress(end.checkpoint).stage, 3);
  // Each stage is a network of its own, not stage 1 trained on.
  assert.ok(largestDifference(weights(end.modelDir), weights(join(end.modelDir, 'stage-2'))) > 1e-3);
  assert.ok(largestDifference(weights(join(end.modelDir, 'stage-2')), weights(join(end.modelDir, 'stage-3'))) > 1e-3);
});

async function stopAt(dir: string, iteration: number, resume: boolean, stage: number): Promise<void> {
  const runOnce = run(dir, resume ? dir : undefined, (event, stop) => {
    if (event.type === 'progress' && event.iteration === iteration) stop();
  });
  const stopped = await runOnce.done;
  assert.equal(stopped.type, 'stopped', stopped.type === 'failed' ? stopped.error : '');
  const point = findResumePoint(dir);
  assert.equal(readProgress(point.dir).stage, stage);
  // A checkpoint inside a stage predicts with the cascade so far: the run's frozen stages, then itself.
  assert.equal(readCascade(join(point.dir, 'model'), { cropScale: 1.5 }).dirs.length, stage);
}

test('stopped inside stage 2 and again inside stage 3, each time resumed, a cascade run ends with the weights of an unbroken run', async () => {
  const dir = join(temp.dir, 'stopped');
  // Iteration 6: the second batch of stage 2's first epoch; iteration 11: the third of stage 3's first.
  await stopAt(dir, 6, false, 2);
  await stopAt(dir, 11, true, 3);
  const end = finished(await run(dir, dir).done);
  const straight = join(temp.dir, 'straight', 'model');
  const differences = ['.', 'stage-2', 'stage-3'].map((stage) =>
    largestDifference(weights(join(straight, stage)), weights(join(end.modelDir, stage))),
  );
  assert.ok(
    differences.every((d) => d <= 1e-5),
    `largest weight differences per stage: ${differences.join(', ')}`,
  );
});
