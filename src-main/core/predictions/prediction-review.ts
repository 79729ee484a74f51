// Predictions set against the project's labels: which person of the image each prediction
// is (the labeled instance it is closest to), its pixel errors, whether it was accepted, and
// the field's metrics over a whole set with the mean-pose baseline beside them.
// Only joints a person labeled count as truth: an accepted prediction (source 'model') is
// the model's own answer until someone corrects it.
import type { PredictionMetrics } from '../../../src-shared/api/predictions.contract';
import type { Skeleton } from '../../../src-shared/domain/skeleton';
import type { Catalog } from '../catalog/open-catalog';
import { listExamples } from '../catalog/examples';
import { evaluatePoses, type EvaluationOptions } from '../metrics/evaluate-poses';
import { fitMeanPose, posesInView, predictMeanPose } from '../metrics/mean-pose-baseline';
import type { Square } from '../pose/crop-geometry';
import type { Box } from '../../../src-shared/domain/image';
import { counts, type Joint, type Joints } from '../pose/pose-joints';
import { evaluationOptionsFor, limbsFor } from '../metrics/pose-report';
import { COORDINATE_DECIMALS } from '../../../src-shared/domain/keypoint';

export interface InstanceLabels {
  instanceId: number;
  /** Human-labeled joints keep their visibility; model-sourced or unlabeled ones are v 0. */
  truth: Joints;
  /** The joints when every keypoint of the instance still has source 'model' (an accepted prediction), else null. */
  modelJoints: [number, number][] | null;
  /** The person's box, which is what a prediction of this image was cropped around. */
  box: Box | null;
}

export interface Review {
  truth: Joints | null;
  errorPx: number | null;
  perJointErrorPx: (number | null)[] | null;
  accepted: boolean;
  /** The instance an accepted prediction became. */
  acceptedInstanceId: number | null;
  /** The box of the matched person, if it has one. */
  box: Box | null;
}

/** Labels of every catalog image the set's predictions are linked to, by image id. */
export function labelsOfSet(catalog: Catalog, setId: number): Map<number, InstanceLabels[]> {
  const rows = catalog.db
    .prepare(
      `SELECT n.image_id, n.id, n.box_x, n.box_y, n.box_w, n.box_h, k.x, k.y, k.visibility, k.source FROM instances n JOIN keypoints k ON k.instance_id = n.id
       WHERE n.image_id IN (SELECT image_id FROM predictions WHERE set_id = ? AND image_id IS NOT NULL)
       ORDER BY n.image_id, n.id, k.joint`,
    )
    .all(setId) as Array<{
    image_id: number;
    id: number;
    box_x: number | null;
    box_y: number | null;
    box_w: number | null;
    box_h: number | null;
    x: number;
    y: number;
    visibility: number;
    source: 'human' | 'model';
  }>;
  const byInstance = new Map<number, { imageId: number; labels: InstanceLabels; allModel: boolean }>();
  for (const row of rows) {
    let entry = byInstance.get(row.id);
    if (!entry) {
      const box: Box | null =
        row.box_x === null || !row.box_w || !row.box_h ? null : [row.box_x, row.box_y ?? 0, row.box_w, row.box_h];
      byInstance.set(
        row.id,
        (entry = {
          imageId: row.image_id,
          labels: { instanceId: row.id, truth: [], modelJoints: [], box },
          allModel: true,
        }),
      );
    }
    entry.labels.truth.push([row.x, row.y, row.source === 'human' ? row.visibility : 0]);
    entry.labels.modelJoints?.push([row.x, row.y]);
    entry.allModel &&= row.source === 'model';
  }
  const byImage = new Map<number, InstanceLabels[]>();
  for (const { imageId, labels, allModel } of byInstance.values()) {
    if (!allModel) labels.modelJoints = null;
    byImage.set(imageId, [...(byImage.get(imageId) ?? []), labels]);
  }
  return byImage;
}

function jointErrors(pred: [number, number][], truth: Joints): (number | null)[] {
  return truth.map((t, j) => (counts(t, {}) ? Math.hypot(pred[j][0] - t[0], pred[j][1] - t[1]) : null));
}

function meanOf(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

/** Stored coordinates are rounded to COORDINATE_DECIMALS: an accepted prediction is its joints to within that rounding. */
const SAME_PX = 0.5 / 10 ** COORDINATE_DECIMALS + 1e-9;

export function reviewPrediction(joints: [number, number][], instances: InstanceLabels[]): Review {
  let best: { truth: Joints; errors: (number | null)[]; mean: number; box: Box | null } | null = null;
  for (const instance of instances) {
    if (instance.truth.length !== joints.length) continue;
    const errors = jointErrors(joints, instance.truth);
    const mean = meanOf(errors);
    if (mean !== null && (!best || mean < best.mean)) best = { truth: instance.truth, errors, mean, box: instance.box };
  }
  const accepted = instances.find(
    (i) =>
      i.modelJoints !== null &&
      i.modelJoints.length === joints.length &&
      i.modelJoints.every(
        ([x, y], j) => Math.abs(x - joints[j][0]) <= SAME_PX && Math.abs(y - joints[j][1]) <= SAME_PX,
      ),
  );
  return {
    truth: best?.truth ?? null,
    errorPx: best?.mean ?? null,
    perJointErrorPx: best?.errors ?? null,
    accepted: accepted !== undefined,
    acceptedInstanceId: accepted?.instanceId ?? null,
    box: best?.box ?? null,
  };
}

export { limbsFor };

/** A labeled prediction: the model's joints, the person's labels, and the view the model was given. */
export interface ScoredPair {
  joints: [number, number][];
  truth: Joints;
  view: Square;
}

/**
 * Metrics over the predictions that have labels; null when none has, or no torso can be
 * measured. The baseline is the train split's mean pose placed in each prediction's view.
 */
export function setMetrics(catalog: Catalog, skeleton: Skeleton, pairs: ScoredPair[]): PredictionMetrics | null {
  if (pairs.length === 0) return null;
  const options: EvaluationOptions = evaluationOptionsFor(skeleton);
  const truth = pairs.map((p) => p.truth);
  const model = evaluatePoses(
    pairs.map((p) => p.joints.map(([x, y]): Joint => [x, y, 2])),
    truth,
    options,
  );
  if (model.pck.mean === null) return null;
  const train = posesInView(listExamples(catalog, 'train'));
  const baseline = train.length
    ? evaluatePoses(
        predictMeanPose(
          fitMeanPose(train),
          pairs.map((p) => p.view),
        ),
        truth,
        options,
      )
    : null;
  return {
    labeled: pairs.length,
    pckMean: model.pck.mean,
    pckPerJoint: model.pck.perJoint.map((v) => v ?? 0),
    pcpPerLimb: model.pcp.perLimb
      .filter((l) => l.value !== null)
      .map((l) => ({ limb: l.name, pcp: l.value as number })),
    meanPixelErrorPerJoint: model.meanPixelError.perJoint,
    baselinePckMean: baseline?.pck.mean ?? null,
    baselinePckPerJoint: baseline?.pck.perJoint ?? null,
    baselinePixelErrorPerJoint: baseline?.meanPixelError.perJoint ?? null,
    curve: model.pdj.fractions.map((threshold, k) => ({
      threshold,
      pck: model.pdj.rates[k].mean ?? 0,
      baseline: baseline ? baseline.pdj.rates[k].mean : null,
    })),
  };
}
