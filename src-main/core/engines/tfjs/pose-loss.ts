// The reference loss: squared coordinate differences summed and divided by the number of
// joints counted (the mask: pose/joint-weight.ts).
import * as tf from '@tensorflow/tfjs';

/**
 * `predicted` and `target` are [batch, joints*2] (x, y interleaved); `mask` is [batch, joints].
 * Returns sum(mask * ((dx)^2 + (dy)^2)) / max(1, sum(mask)).
 */
export function poseLoss(predicted: tf.Tensor2D, target: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [batch, joints] = mask.shape;
    const squared = tf.square(tf.sub(predicted, target)).reshape([batch, joints, 2]).sum(2);
    const counted = tf.maximum(mask.sum(), 1);
    return tf.div(tf.mul(squared, mask).sum(), counted) as tf.Scalar;
  });
}
