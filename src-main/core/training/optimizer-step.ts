// One optimizer step on a batch: the whole step as one ONNX graph where the backend has it,
// else tfjs' minimize over the visibility-masked loss. The trainer and the speed calibration
// share it, so a calibration times the step training runs.
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { Batch } from './data/batches';
import { poseLoss } from './loss';
import type { Architecture } from '../pose/architectures';
import { forwardTrain } from './models/build-model';

export interface WholeStep {
  step(batch: Batch, dropoutSeeds: number[], lr: number): number;
}

/** Returns the step's loss. */
export type OptimizerStep = (batch: Batch, dropoutSeeds: number[], lr: number) => Promise<number>;

export function optimizerStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  engine: WholeStep | null,
  arch: Architecture,
  config: Pick<TrainingConfig, 'joints'>,
): OptimizerStep {
  if (engine) return async (batch, dropoutSeeds, lr) => engine.step(batch, dropoutSeeds, lr);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return async (batch, dropoutSeeds) => {
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(batch.pixels, [batch.size, arch.inputSize, arch.inputSize, 3]);
      const target = tf.tensor2d(batch.targets, [batch.size, config.joints * 2]);
      const mask = tf.tensor2d(batch.weights, [batch.size, config.joints]);
      return optimizer.minimize(
        () => poseLoss(forwardTrain(model, x, dropoutSeeds), target, mask),
        true,
        variables,
      ) as tf.Scalar;
    });
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
}
