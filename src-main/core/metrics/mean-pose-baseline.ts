// The "knows nothing about the image" baseline: the training set's average pose, normalized
// to each person's joint box (centre and longer side, like the square crop the network is
// given), placed in each target person's joint box. A model must beat this to have learnt
// anything from pixels.
import { evaluatePoses, type EvaluationOptions, type PoseMetrics } from './evaluate-poses';
import type { Joints } from './pose-joints';

/** Per joint, the mean position in box units (centre 0, longer side 1); null if never labeled. */
export type MeanPose = ([number, number] | null)[];

/** Centre and longer side of the labeled joints' box, or null with fewer than two distinct points. */
function personBox(joints: Joints): { cx: number; cy: number; size: number } | null {
  const labeled = joints.filter(([x, y, v]) => v > 0 && Number.isFinite(x) && Number.isFinite(y));
  if (labeled.length < 2) return null;
  const xs = labeled.map(([x]) => x);
  const ys = labeled.map(([, y]) => y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const size = Math.max(maxX - minX, maxY - minY);
  return size > 0 ? { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, size } : null;
}

export function fitMeanPose(train: Joints[]): MeanPose {
  const jointCount = train[0]?.length ?? 0;
  const sums = Array.from({ length: jointCount }, () => [0, 0, 0]);
  for (const joints of train) {
    const box = personBox(joints);
    if (!box) continue;
    joints.forEach(([x, y, v], j) => {
      if (v === 0) return;
      sums[j][0] += (x - box.cx) / box.size;
      sums[j][1] += (y - box.cy) / box.size;
      sums[j][2]++;
    });
  }
  return sums.map(([sx, sy, n]) => (n === 0 ? null : [sx / n, sy / n]));
}

/** Predictions (v 2) for each target; joints the mean pose lacks, or targets without a box, are NaN (misses). */
export function predictMeanPose(mean: MeanPose, targets: Joints[]): Joints[] {
  return targets.map((joints) => {
    const box = personBox(joints);
    return mean.map((m) => (box && m ? [box.cx + m[0] * box.size, box.cy + m[1] * box.size, 2] : [NaN, NaN, 0]));
  });
}

export function meanPoseBaseline(train: Joints[], target: Joints[], options: EvaluationOptions = {}): { meanPose: MeanPose; predictions: Joints[]; metrics: PoseMetrics } {
  const meanPose = fitMeanPose(train);
  const predictions = predictMeanPose(meanPose, target);
  return { meanPose, predictions, metrics: evaluatePoses(predictions, target, options) };
}
