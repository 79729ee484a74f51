// The DeepPose cascade as one run: stage 1, then a refinement stage trained on simulated
// estimates; the finished model folder is the whole cascade; a run stopped inside stage 2 and
// resumed ends with the weights of an unbroken one, in both stages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTrainingWorker, type EndEvent } from '../../src-main/core/training/training-host';
import { forkLauncher } from '../../src-main/core/worker/worker-launcher';
import { readCascade } from '../../src-main/core/training/models/cascade-files';
import { findResumePoint, readProgress } from '../../src-main/core/training/checkpoints';
import { trainingConfigSchema } from '../../src-shared/training/config';
import type { TrainRequest, WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';

const temp = makeTempDir('deeppose-cascade-');
after(temp.cleanup);
let dataset: TrainRequest['dataset'];

before(async () => {
  dataset = { train: await makeSyntheticPoses(temp.dir, 12, 21, 'train'), val: await makeSyntheticPoses(temp.dir, 3, 22, 'val') };
});

// Stage 1: 2 epochs × 2 iterations; stage 2: 2 epochs × (12 × 2 draws / 6) = 4 iterations.
const config = trainingConfigSchema.parse({
  model: 'alexnet-tiny', joints: 14, epochs: 2, stages: 2, refineEpochs: 2, refineDraws: 2, batchSize: 6, seed: 7, backend: 'cpu',
  checkpointEvery: 1, augment: true, flip: true, flipPairs: LSP_FLIP_PAIRS,
});

function run(runDir: string, resumeFrom?: string, onEvent?: (e: WorkerEvent, stop: () => void) => void) {
  const events: WorkerEvent[] = [];
  const handle: ReturnType<typeof startTrainingWorker> = startTrainingWorker(forkLauncher, { config, dataset, runDir, resumeFrom }, (event) => {
    events.push(event);
    onEvent?.(event, () => handle.stop());
  });
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

test('a two-stage run validates each stage through the cascade and saves the whole cascade', async () => {
  const straight = run(join(temp.dir, 'straight'));
  const end = finished(await straight.done);
  assert.equal(end.iteration, 2 * 2 + 2 * 4);
  const validations = straight.events.filter((e) => e.type === 'validation');
  assert.deepEqual(
    validations.map((e) => e.epoch),
    [1, 2, 3, 4],
  );
  // Stage 2's validation predicts with the cascade: its samples are in image pixels like stage 1's.
  for (const v of validations) if (v.type === 'validation') assert.ok(v.samples[0].joints.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const cascade = readCascade(end.modelDir, { cropScale: 1.5 });
  assert.equal(cascade.dirs.length, 2);
  assert.equal(cascade.rule.sigma, 2);
  assert.ok(existsSync(join(end.modelDir, 'stage-2', 'weights.bin')));
  assert.equal(readProgress(end.checkpoint).stage, 2);
  // Stage 2 is a network of its own, not stage 1 trained on.
  assert.ok(largestDifference(weights(end.modelDir), weights(join(end.modelDir, 'stage-2'))) > 1e-3);
});

test('stopped inside stage 2 and resumed, a cascade run ends with the weights of an unbroken run', async () => {
  const dir = join(temp.dir, 'stopped');
  // Iteration 6 is the second batch of stage 2's first epoch: a stop mid-epoch, mid-stage.
  const first = run(dir, undefined, (event, stop) => {
    if (event.type === 'progress' && event.iteration === 6) stop();
  });
  const stopped = await first.done;
  assert.equal(stopped.type, 'stopped', stopped.type === 'failed' ? stopped.error : '');
  const point = findResumePoint(dir);
  assert.equal(readProgress(point.dir).stage, 2);
  // A checkpoint of stage 2 predicts with the whole cascade: stage 1 from the run, then itself.
  assert.equal(readCascade(join(point.dir, 'model'), { cropScale: 1.5 }).dirs.length, 2);

  const second = run(dir, dir);
  const end = finished(await second.done);
  const straight = join(temp.dir, 'straight', 'model');
  const stage1 = largestDifference(weights(straight), weights(end.modelDir));
  const stage2 = largestDifference(weights(join(straight, 'stage-2')), weights(join(end.modelDir, 'stage-2')));
  assert.ok(stage1 <= 1e-5 && stage2 <= 1e-5, `largest weight differences: stage 1 ${stage1}, stage 2 ${stage2}`);
});
