// Mean Euclidean distance in pixels between predicted and true joints, over counted joints.
// A missing prediction makes the error infinite: it is reported, not hidden.
import { checkPairs, counts, jointDistance, type CountingOptions, type Joints } from '../pose/pose-joints';

export interface PixelError {
  perJoint: (number | null)[];
  /** Over all counted joints (pooled). */
  mean: number | null;
}

export function meanPixelError(pred: Joints[], truth: Joints[], options: CountingOptions = {}): PixelError {
  const jointCount = checkPairs(pred, truth);
  const sums = new Array<number>(jointCount).fill(0);
  const counted = new Array<number>(jointCount).fill(0);
  truth.forEach((t, i) => {
    t.forEach((joint, j) => {
      if (!counts(joint, options)) return;
      counted[j]++;
      sums[j] += jointDistance(pred[i][j], joint);
    });
  });
  const total = counted.reduce((a, b) => a + b, 0);
  return {
    perJoint: sums.map((s, j) => (counted[j] === 0 ? null : s / counted[j])),
    mean: total === 0 ? null : sums.reduce((a, b) => a + b, 0) / total,
  };
}
