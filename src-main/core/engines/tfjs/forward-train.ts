// A tfjs model's training-mode forward pass with seeded dropout: the tfjs engine's step and
// the benchmark's reference step run it, and the plan engines draw the same multipliers.
import * as tf from '@tensorflow/tfjs';

/** Training-mode forward pass: dropout masks come from `dropoutSeeds` (one per dropout layer), so a step is reproducible. */
export function forwardTrain(model: tf.LayersModel, input: tf.Tensor4D, dropoutSeeds: number[]): tf.Tensor2D {
  let h: tf.Tensor = input;
  let d = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') {
      const rate = (layer.getConfig() as { rate: number }).rate;
      h = tf.dropout(h, rate, undefined, dropoutSeeds[d++]);
    } else {
      h = layer.apply(h) as tf.Tensor;
    }
  }
  return h as tf.Tensor2D;
}
