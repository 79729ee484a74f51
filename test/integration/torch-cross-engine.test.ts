// A run goes on across engines: a cascade the CPU engine stopped inside stage 2 (its checkpoint
// folder, its frozen stage 1, its measured errors) resumes on the PyTorch engine, which reads
// them as they are, and ends where an unbroken CPU run ends, up to the two runtimes' float noise;
// and one PyTorch stopped inside stage 2 resumes on the CPU engine and ends where PyTorch ends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { startTrainingWorker, type EndEvent } from '../../src-main/core/runs/training-host';
import { forkLauncher } from '../../src-main/core/worker/worker-launcher';
import { startTorchTraining } from '../../src-main/core/torch/torch-training';
import { saveTorchModel } from '../../src-main/core/torch/torch-model';
import { trainingConfigSchema } from '../../src-shared/training/config';
import type { TrainRequest, WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';
import { pythonWithTorch } from '../support/python-torch';

const skip = pythonWithTorch.skip;
const temp = makeTempDir('deeppose-cross-engine-');
after(temp.cleanup);
let dataset: TrainRequest['dataset'];

before(async () => {
  if (skip) return;
  await tf.setBackend('cpu'); // the PyTorch runs' weights become model folders in this process
  dataset = {
    train: await makeSyntheticPoses(temp.dir, 12, 21, 'train'),
    val: await makeSyntheticPoses(temp.dir, 3, 22, 'val'),
  };
});

// 2 stages × 2 epochs × 2 steps (batch 6 of 12 pictures); Adam, so its moments and step count cross too.
const config = trainingConfigSchema.parse({
  model: 'alexnet-tiny',
  joints: 14,
  epochs: 2,
  stages: 2,
  batchSize: 6,
  seed: 7,
  optimizer: 'Adam',
  lr: 0.001,
  backend: 'cpu',
  checkpointEvery: 1,
  flip: true,
  flipPairs: LSP_FLIP_PAIRS,
});

function cpuRun(runDir: string, stopAt?: number): Promise<EndEvent> {
  const handle: ReturnType<typeof startTrainingWorker> = startTrainingWorker(
    forkLauncher,
    { config, dataset, runDir },
    (event: WorkerEvent) => {
      if (stopAt !== undefined && event.type === 'progress' && event.iteration === stopAt) handle.stop();
    },
  );
  return handle.done;
}

function weights(modelDir: string): Float32Array {
  const bytes = readFileSync(join(modelDir, 'weights.bin'));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

test(
  'a cascade the CPU engine stopped in stage 2 resumes on PyTorch and ends where the CPU run ends',
  { skip },
  async () => {
    const straight = await cpuRun(join(temp.dir, 'cpu'));
    assert.equal(straight.type, 'finished', straight.type === 'failed' ? straight.error : '');
    const runDir = join(temp.dir, 'crossed');
    const stopped = await cpuRun(runDir, 5); // stage 2's first step (the stop lands at the next step's end)
    assert.equal(stopped.type, 'stopped', stopped.type === 'failed' ? stopped.error : '');

    const events: WorkerEvent[] = [];
    const handle = startTorchTraining(
      { config: { ...config, engine: 'torch' }, dataset, runDir, resumeFrom: runDir },
      { python: pythonWithTorch.python! },
      (request) => saveTorchModel(request.weightsFolder, request.modelDir, request.config),
      (event) => events.push(event),
    );
    const end = await handle.done;
    assert.equal(end.type, 'finished', end.type === 'failed' ? end.error : '');
    assert.equal(end.type === 'finished' && end.iteration, 8);
    const started = events.find((e) => e.type === 'started');
    assert.match(
      started?.type === 'started' ? started.skipped.join(' ') : '',
      /resumed from the checkpoint .*crossed\/checkpoints\/epoch-/,
    );
    const steps = events.filter((e) => e.type === 'progress').length;
    assert.ok(steps >= 1 && steps <= 3, `${steps} steps on PyTorch`);
    // Stage 1 is the CPU engine's, taken as it was; stage 2 went on on PyTorch.
    const cpuModel = join(temp.dir, 'cpu', 'model');
    const crossedModel = join(runDir, 'model');
    assert.equal(largestDifference(weights(cpuModel), weights(crossedModel)), 0);
    const stage2 = largestDifference(weights(join(cpuModel, 'stage-2')), weights(join(crossedModel, 'stage-2')));
    console.log(
      `stage 2 after ${steps} steps on PyTorch from the CPU engine's checkpoint: largest weight difference ${stage2}`,
    );
    assert.ok(stage2 < 1e-4, `stage 2's weights differ by ${stage2}`);
  },
);

function torchRun(runDir: string, resume: boolean, stopAt?: number): Promise<EndEvent> {
  return startTorchTraining(
    { config: { ...config, engine: 'torch' }, dataset, runDir, resumeFrom: resume ? runDir : undefined },
    // A stop at an exact step: progress lines are throttled, so a quiet machine may not report the step to stop at.
    { python: pythonWithTorch.python!, stopAt },
    (request) => saveTorchModel(request.weightsFolder, request.modelDir, request.config),
    () => {},
  ).done;
}

test(
  'a cascade PyTorch stopped in stage 2 resumes on the CPU engine and ends where PyTorch ends',
  { skip },
  async () => {
    const straight = await torchRun(join(temp.dir, 'torch'), false);
    assert.equal(straight.type, 'finished', straight.type === 'failed' ? straight.error : '');
    const runDir = join(temp.dir, 'torch-then-cpu');
    const stopped = await torchRun(runDir, false, 5);
    assert.equal(stopped.type, 'stopped', stopped.type === 'failed' ? stopped.error : '');
    assert.ok(stopped.type === 'stopped' && stopped.iteration >= 5 && stopped.iteration < 8);
    const events: WorkerEvent[] = [];
    const handle = startTrainingWorker(forkLauncher, { config, dataset, runDir, resumeFrom: runDir }, (e) =>
      events.push(e),
    );
    const end = await handle.done;
    assert.equal(end.type, 'finished', end.type === 'failed' ? end.error : '');
    const started = events.find((e) => e.type === 'started');
    assert.match(started?.type === 'started' ? (started.resumedFrom ?? '') : '', /checkpoints\/epoch-/);
    const torchModel = join(temp.dir, 'torch', 'model');
    const crossedModel = join(runDir, 'model');
    assert.equal(largestDifference(weights(torchModel), weights(crossedModel)), 0);
    const stage2 = largestDifference(weights(join(torchModel, 'stage-2')), weights(join(crossedModel, 'stage-2')));
    console.log(
      `stage 2 after going on on the CPU engine from PyTorch's checkpoint: largest weight difference ${stage2}`,
    );
    assert.ok(stage2 < 1e-4, `stage 2's weights differ by ${stage2}`);
  },
);
