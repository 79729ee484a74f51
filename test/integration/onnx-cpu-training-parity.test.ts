import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { runTraining } from '../../src-main/core/training/trainer';
import { trainingConfigSchema, type BackendName } from '../../src-shared/training/config';
import type { Example, WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { makeSyntheticPoses } from '../support/synthetic-training-data';

const temp = makeTempDir();
after(temp.cleanup);

// Relative tolerance on the validation loss. Not exact: the two backends add the same
// float32 products in a different order (ONNX Runtime's MLAS blocks and vectorises its
// sums, the cpu backend sums sequentially), so each step's gradients differ in the last
// bits and SGD carries that forward. Six steps here differ by about 1e-8 relative; a
// wrong kernel (a flipped filter, a missing gradient term) moves the loss by percent.
const RELATIVE_TOLERANCE = 1e-5;

async function validationLosses(
  backend: BackendName,
  train: Example[],
  val: Example[],
): Promise<{ backend: string; losses: number[] }> {
  // No augmentation and no dropout (alexnet-tiny has none): both runs see identical batches.
  const config = trainingConfigSchema.parse({
    model: 'alexnet-tiny',
    joints: 14,
    epochs: 3,
    stages: 1,
    batchSize: 8,
    seed: 3,
    backend,
    augment: false,
    valEvery: 1,
  });
  const events: WorkerEvent[] = [];
  await runTraining(
    { type: 'train', config, dataset: { train, val }, runDir: join(temp.dir, backend) },
    { emit: (e) => events.push(e), stopRequested: () => false },
  );
  const started = events.find((e) => e.type === 'started');
  return {
    backend: started?.type === 'started' ? started.backend : 'none',
    losses: events.flatMap((e) => (e.type === 'validation' ? [e.loss] : [])),
  };
}

test('a short run on onnx-cpu reaches the cpu backend validation loss from the same seed', async () => {
  const train = await makeSyntheticPoses(temp.dir, 16, 41, 'train');
  const val = await makeSyntheticPoses(temp.dir, 8, 42, 'val');
  const onnx = await validationLosses('onnx-cpu', train, val);
  const cpu = await validationLosses('cpu', train, val);
  assert.equal(onnx.backend, 'onnx-cpu');
  assert.equal(cpu.backend, 'cpu');
  assert.equal(onnx.losses.length, 3);
  assert.equal(cpu.losses.length, 3);
  // The comparison only means something if the runs moved the weights.
  assert.ok(cpu.losses[2] < cpu.losses[0], `cpu validation loss ${cpu.losses.join(' -> ')}`);
  onnx.losses.forEach((loss, epoch) => {
    const relative = Math.abs(loss - cpu.losses[epoch]) / cpu.losses[epoch];
    assert.ok(
      relative <= RELATIVE_TOLERANCE,
      `epoch ${epoch + 1}: onnx-cpu ${loss} vs cpu ${cpu.losses[epoch]} (relative ${relative.toExponential(2)})`,
    );
  });
});
