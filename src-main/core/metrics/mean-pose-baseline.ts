// The "knows nothing about the image" baseline: the training set's average pose, in the
// coordinates of the view the network is given (the person's box when it has one, else the
// whole image padded to a square: the crop rule), placed in each target's view. It gets the
// same information as the model and never the target's labels, so a model must beat it to
// have learnt anything from pixels.
import { cropSquare, type CropSource, type Square } from '../pose/crop-geometry';
import { evaluatePoses, type EvaluationOptions, type PoseMetrics } from './evaluate-poses';
import type { Joints } from '../pose/pose-joints';

/** Per joint, the mean position in view units (top-left 0, side 1); null if never labeled. */
export type MeanPose = ([number, number] | null)[];

/** A labeled pose and where it was seen. */
export interface PoseInView {
  joints: Joints;
  view: Square;
}

/**
 * The view a new image of this size (and box) gives the network, up to its scale: the crop
 * rule at scale 1. The baseline's placement does not depend on the scale, as long as fitting
 * and placing use the same one.
 */
export function viewOf(source: CropSource): Square {
  return cropSquare(source, 1);
}

export function fitMeanPose(train: PoseInView[]): MeanPose {
  const jointCount = train[0]?.joints.length ?? 0;
  const sums = Array.from({ length: jointCount }, () => [0, 0, 0]);
  for (const { joints, view } of train) {
    joints.forEach(([x, y, v], j) => {
      if (v === 0 || !Number.isFinite(x) || !Number.isFinite(y)) return;
      sums[j][0] += (x - view.x0) / view.side;
      sums[j][1] += (y - view.y0) / view.side;
      sums[j][2]++;
    });
  }
  return sums.map(([sx, sy, n]) => (n === 0 ? null : [sx / n, sy / n]));
}

/** Predictions (v 2) in each view; joints the mean pose lacks are NaN (misses). */
export function predictMeanPose(mean: MeanPose, views: Square[]): Joints[] {
  return views.map((view) =>
    mean.map((m) => (m ? [view.x0 + m[0] * view.side, view.y0 + m[1] * view.side, 2] : [NaN, NaN, 0])),
  );
}

export function meanPoseBaseline(
  train: PoseInView[],
  target: PoseInView[],
  options: EvaluationOptions = {},
): { meanPose: MeanPose; predictions: Joints[]; metrics: PoseMetrics } {
  const meanPose = fitMeanPose(train);
  const predictions = predictMeanPose(
    meanPose,
    target.map((t) => t.view),
  );
  return {
    meanPose,
    predictions,
    metrics: evaluatePoses(
      predictions,
      target.map((t) => t.joints),
      options,
    ),
  };
}

/** Catalog or sample examples as poses in their views. */
export function posesInView(examples: (CropSource & { joints: Joints })[]): PoseInView[] {
  return examples.map((e) => ({ joints: e.joints, view: viewOf(e) }));
}
