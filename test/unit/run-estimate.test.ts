// The arithmetic of the estimate before a run: parameters from the layer plan, checkpoints
// the trainer writes, bytes each one takes (held against a real checkpoint), time per step
// from stored progress rows, and the words the Train view and the CLI show.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { networkPlan, parameterCount } from '../../src-main/core/training/models/network-plan';
import { checkpointBytes, diskFootprint } from '../../src-main/core/training/disk-footprint';
import { runTraining } from '../../src-main/core/training/trainer';
import { secondsPerStep } from '../../src-main/core/runs/step-speed';
import { checkpointsWritten, isCheckpointEpoch, trainingConfigSchema } from '../../src-shared/training/config';
import { describeEstimate, diskWarning, type RunEstimate } from '../../src-shared/training/run-estimate';
import type { WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { makeSyntheticPoses } from '../support/synthetic-training-data';

const temp = makeTempDir();
after(temp.cleanup);

const config = (input: Record<string, unknown>) => trainingConfigSchema.parse({ joints: 14, ...input });

function bytesUnder(path: string): number {
  const stats = statSync(path);
  return stats.isDirectory()
    ? readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0)
    : stats.size;
}

test('parameters are counted from the layer plan, equal to the built network', async () => {
  await tf.setBackend('cpu');
  for (const name of ['alexnet-tiny', 'alexnet-small'] as const) {
    const model = buildModel(architectures[name], 14, 0);
    assert.equal(
      parameterCount(networkPlan(architectures[name], 14), architectures[name].inputSize),
      model.countParams(),
      name,
    );
    model.dispose();
  }
  // training-model.test.ts holds the built reference AlexNet to this count.
  assert.equal(parameterCount(networkPlan(architectures.alexnet, 14), 227), 58_396_060);
  assert.equal(parameterCount(networkPlan(architectures.alexnet, 17), 227), 58_396_060 + 3 * 2 * 4097);
});

test('checkpoints are counted as the trainer writes them: every interval and at each stage end', () => {
  assert.equal(checkpointsWritten(config({ epochs: 100, stages: 1 })), 10, 'the default interval is epochs ÷ 10');
  assert.equal(
    checkpointsWritten(config({ epochs: 7, stages: 1, checkpointEvery: 3 })),
    3,
    'epochs 3, 6 and the end, 7',
  );
  // Stages of 5, 3 and 3 epochs (11 in all) every 4: epochs 4 and 8, and the stage ends 5, 8, 11.
  const cascade = config({ epochs: 5, refineEpochs: 3, stages: 3, checkpointEvery: 4 });
  assert.deepEqual(
    [...Array(11).keys()].map((i) => i + 1).filter((e) => isCheckpointEpoch(cascade, e)),
    [4, 5, 8, 11],
  );
  assert.equal(checkpointsWritten(cascade), 4);
});

test("the issue's defaults: paper AlexNet × 100 epochs on SGD is ~467 MB a checkpoint; keeping the latest and the best holds 3 at most, not 10", () => {
  const defaults = config({ stages: 1 });
  assert.equal(defaults.keepCheckpoints, 1, 'the newest is kept (resume needs it)');
  assert.equal(defaults.keepBestCheckpoint, true);
  const params = 58_396_060;
  const disk = diskFootprint(defaults, params, 1000);
  assert.ok(Math.abs(disk.checkpointBytes - params * 8) < 50_000, `${disk.checkpointBytes}`);
  assert.equal(disk.checkpointsWritten, 10);
  assert.equal(disk.checkpointsKept, 2);
  assert.equal(disk.stagesBytes, 0);
  // The newest, the best, and the one being written before the oldest goes; plus the model.
  assert.ok(Math.abs(disk.totalBytes - (3 * params * 8 + params * 4)) < 200_000, `${disk.totalBytes}`);
  const all = diskFootprint({ ...defaults, keepCheckpoints: 0 }, params, 1000);
  assert.equal(all.checkpointsKept, 10);
  assert.ok(all.totalBytes > 4.6e9, 'keeping all of them is the 4.5 GB of the issue');
  // Adam keeps two moments per weight: 12 bytes a parameter.
  assert.ok(Math.abs(checkpointBytes(params, 'Adam') - params * 12) < 50_000);
  // A 3-stage cascade keeps two frozen stages and a 3-stage model.
  const cascade = diskFootprint(config({}), params, 1000);
  assert.ok(
    cascade.stagesBytes > 2 * params * 4 && cascade.stagesBytes < 2 * params * 4 + 2e6,
    `${cascade.stagesBytes}`,
  );
  assert.ok(Math.abs(cascade.modelBytes - 3 * params * 4) < 50_000);
});

test('a checkpoint on disk is the size estimated, within 3 % (Adam, a tiny run)', async () => {
  const train = await makeSyntheticPoses(temp.dir, 8, 41, 'size');
  const run = config({
    model: 'alexnet-tiny',
    optimizer: 'Adam',
    lr: 0.001,
    epochs: 2,
    stages: 1,
    batchSize: 4,
    backend: 'cpu',
    checkpointEvery: 1,
    keepCheckpoints: 0,
  });
  const runDir = join(temp.dir, 'sized-run');
  const events: WorkerEvent[] = [];
  await runTraining(
    { type: 'train', config: run, dataset: { train, val: train.slice(0, 4) }, runDir },
    { emit: (e) => events.push(e), stopRequested: () => false },
  );
  const params = parameterCount(networkPlan(architectures['alexnet-tiny'], 14), 96);
  const estimate = diskFootprint(run, params, train.length);
  const written = events.flatMap((e) => (e.type === 'checkpoint' ? [e.path] : []));
  assert.equal(written.length, estimate.checkpointsWritten);
  for (const path of written) {
    const actual = bytesUnder(path);
    assert.ok(
      Math.abs(actual - estimate.checkpointBytes) <= 0.03 * actual,
      `${path}: ${actual} bytes, estimated ${estimate.checkpointBytes}`,
    );
  }
  const model = bytesUnder(join(runDir, 'model'));
  assert.ok(
    Math.abs(model - estimate.modelBytes) <= 0.03 * model,
    `model: ${model} bytes, estimated ${estimate.modelBytes}`,
  );
});

test('seconds per step are the median over stored progress rows, pauses for validation left out', () => {
  // 0.5 s a step, 4 steps between rows, and one 30 s pause (a validation) in the middle.
  const rows = Array.from({ length: 12 }, (_, i) => ({
    iteration: 4 * (i + 1),
    at: 1_000_000 + i * 2000 + (i >= 6 ? 30_000 : 0),
  }));
  assert.deepEqual(secondsPerStep(rows), { seconds: 0.5, steps: 44 });
  assert.equal(secondsPerStep(rows.slice(0, 2)), null, 'four steps say too little');
  assert.equal(secondsPerStep([]), null);
});

test("the estimate in words: the time's source, the disk, and a warning when the disk is short", () => {
  const estimate: RunEstimate = {
    params: 58_396_060,
    trainCount: 1000,
    iterations: 3200,
    backend: 'onnx-cpu',
    speed: { secondsPerStep: 0.75, source: 'run', runName: 'paper', steps: 500, at: 0 },
    seconds: 2400,
    disk: {
      checkpointBytes: 467e6,
      checkpointsWritten: 10,
      checkpointsKept: 2,
      stagesBytes: 0,
      modelBytes: 233.6e6,
      totalBytes: 1.635e9,
    },
    freeBytes: 50e9,
  };
  assert.equal(
    describeEstimate(estimate),
    "estimate: ≈ 40m 0s (3,200 steps × 0.75 s, from your run 'paper') · up to 1.6 GB on disk (2 of 10 checkpoints kept, 467 MB each, + model)",
  );
  assert.equal(diskWarning(estimate), null);
  const short = { ...estimate, freeBytes: 1e9 };
  assert.match(diskWarning(short)!, /needs up to 1\.6 GB but the project's disk has 1\.0 GB free/);
  assert.match(describeEstimate(short), /\nwarning: /);
  assert.match(
    describeEstimate({ ...estimate, speed: null, seconds: null }),
    /3,200 steps; time unknown until the first steps/,
  );
  assert.match(
    describeEstimate({ ...estimate, speed: { ...estimate.speed!, source: 'measured', runName: null } }),
    /measured just now/,
  );
});
