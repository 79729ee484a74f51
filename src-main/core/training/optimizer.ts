// MomentumSGD or Adam as the config asks (fused in-place updates on cpu-family backends), the step lr schedule, and optimizer state as bytes
// (for checkpoints).
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../src-shared/training/config';
import { FusedAdamOptimizer, FusedMomentumOptimizer } from '../engines/tfjs/fused-optimizers';

/** tfjs' defaults for Adam's decay rates, as tf.train.adam uses them. */
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;

export function createOptimizer(config: TrainingConfig): tf.Optimizer {
  return config.optimizer === 'Adam'
    ? new FusedAdamOptimizer(config.lr, ADAM_BETA1, ADAM_BETA2)
    : new FusedMomentumOptimizer(config.lr, config.momentum);
}

/** The learning rate for a 0-based epoch. */
export function learningRateAt(config: TrainingConfig, epoch: number): number {
  const schedule = config.lrSchedule;
  return schedule ? config.lr * schedule.gamma ** Math.floor(epoch / schedule.everyEpochs) : config.lr;
}

export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  // Momentum caches -lr in a tensor that setLearningRate refreshes; Adam reads the field.
  if (target.setLearningRate) target.setLearningRate(lr);
  else target.learningRate = lr;
}

export interface TensorSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** The optimizer's state as specs and one byte view per tensor (written in order, never joined). */
export async function optimizerState(optimizer: tf.Optimizer): Promise<{ specs: TensorSpec[]; parts: Uint8Array[] }> {
  const weights = await optimizer.getWeights();
  const specs: TensorSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const { name, tensor } of weights) {
    const values = await tensor.data();
    specs.push({ name, shape: tensor.shape, dtype: tensor.dtype === 'int32' ? 'int32' : 'float32' });
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return { specs, parts };
}

export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  specs: TensorSpec[],
  data: Uint8Array,
): Promise<void> {
  let offset = 0;
  const named = specs.map((spec) => {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    // A copy: Buffer.slice would share (and expose) the whole underlying pool.
    const bytes = new Uint8Array(data.subarray(offset, offset + count * 4));
    offset += count * 4;
    const values = spec.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    return { name: spec.name, tensor: tf.tensor(values, spec.shape, spec.dtype) };
  });
  if (offset !== data.length)
    throw new Error(`optimizer state holds ${data.length} bytes, its specs describe ${offset}`);
  await optimizer.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
}
