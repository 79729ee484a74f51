// The reference loss: squared coordinate differences summed and divided by the number of
// joints counted (every joint without visibility, as the reference did on LSP; otherwise the
// labeled ones, optionally without the occluded ones).
import * as tf from '@tensorflow/tfjs';

export interface MaskOptions {
  useVisibility: boolean;
  countOccluded: boolean;
}

/** 1 where a joint counts in the loss, 0 where it is masked, from visibilities 0/1/2. */
export function jointWeight(visibility: number, options: MaskOptions): number {
  if (!options.useVisibility) return 1;
  if (visibility === 2) return 1;
  if (visibility === 1) return options.countOccluded ? 1 : 0;
  return 0;
}

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
