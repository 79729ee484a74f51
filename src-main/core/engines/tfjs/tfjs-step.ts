// tfjs' own step: optimizer.minimize over the visibility-masked loss of the model's
// training-mode forward pass, on whatever backend tfjs runs (the fused optimizers update in
// place on the cpu family). The engine every backend has; its state is the model's and the
// optimizer's own.
import * as tf from '@tensorflow/tfjs';
import { forwardTrain } from './forward-train';
import { poseLoss } from './pose-loss';
import { readTfjsState, writeTfjsState } from './tfjs-state';
import type { TrainStep } from '../train-step';

export function createTfjsTrainStep(model: tf.LayersModel, optimizer: tf.Optimizer): TrainStep {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const input = model.inputs[0].shape[1]!;
  const outputs = model.outputs[0].shape[1]!;
  return {
    name: 'tfjs',
    async step(batch, dropoutSeeds) {
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(batch.pixels, [batch.size, input, input, 3]);
        const target = tf.tensor2d(batch.targets, [batch.size, outputs]);
        const mask = tf.tensor2d(batch.weights, [batch.size, outputs / 2]);
        return optimizer.minimize(
          () => poseLoss(forwardTrain(model, x, dropoutSeeds), target, mask),
          true,
          variables,
        ) as tf.Scalar;
      });
      const value = (await loss.data())[0];
      loss.dispose();
      return value;
    },
    readState: () => readTfjsState(model, optimizer),
    writeState: (state) => writeTfjsState(model, optimizer, state),
    dispose() {},
  };
}
