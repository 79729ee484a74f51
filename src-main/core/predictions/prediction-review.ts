// Predictions set against the project's labels: which person of the image each prediction
// is (the labeled instance it is closest to), its pixel errors, whether it was accepted, and
// the field's metrics over a whole set with the mean-pose baseline beside them.
// Only joints a person labeled count as truth: an accepted prediction (source 'model') is
// the model's own answer until someone corrects it.
import type { PredictionMetrics } from '../../../src-shared/api/predictions.contract';
import { LSP14, type Skeleton } from '../../../src-shared/domain/skeleton';
import type { Catalog } from '../catalog/open-catalog';
import { listExamples } from '../catalog/examples';
import { DEFAULT_PDJ_FRACTIONS, evaluatePoses, type EvaluationOptions } from '../metrics/evaluate-poses';
import { fitMeanPose, predictMeanPose } from '../metrics/mean-pose-baseline';
import { LSP_LIMBS, type Limb } from '../metrics/pcp';
import { counts, torsoPairsFor, type Joint, type Joints } from '../metrics/pose-joints';

export interface InstanceLabels {
  instanceId: number;
  /** Human-labeled joints keep their visibility; model-sourced or unlabeled ones are v 0. */
  truth: Joints;
  /** The joints when every keypoint of the instance still has source 'model' (an accepted prediction), else null. */
  modelJoints: [number, number][] | null;
}

export interface Review {
  truth: Joints | null;
  errorPx: number | null;
  perJointErrorPx: (number | null)[] | null;
  accepted: boolean;
  /** The instance an accepted prediction became. */
  acceptedInstanceId: number | null;
}

/** Labels of every catalog image the set's predictions are linked to, by image id. */
export function labelsOfSet(catalog: Catalog, setId: number): Map<number, InstanceLabels[]> {
  const rows = catalog.db
    .prepare(
      `SELECT n.image_id, n.id, k.x, k.y, k.visibility, k.source FROM instances n JOIN keypoints k ON k.instance_id = n.id
       WHERE n.image_id IN (SELECT image_id FROM predictions WHERE set_id = ? AND image_id IS NOT NULL)
       ORDER BY n.image_id, n.id, k.joint`,
    )
    .all(setId) as Array<{ image_id: number; id: number; x: number; y: number; visibility: number; source: 'human' | 'model' }>;
  const byInstance = new Map<number, { imageId: number; labels: InstanceLabels; allModel: boolean }>();
  for (const row of rows) {
    let entry = byInstance.get(row.id);
    if (!entry) byInstance.set(row.id, (entry = { imageId: row.image_id, labels: { instanceId: row.id, truth: [], modelJoints: [] }, allModel: true }));
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

const SAME_PX = 1e-6;

export function reviewPrediction(joints: [number, number][], instances: InstanceLabels[]): Review {
  let best: { truth: Joints; errors: (number | null)[]; mean: number } | null = null;
  for (const instance of instances) {
    if (instance.truth.length !== joints.length) continue;
    const errors = jointErrors(joints, instance.truth);
    const mean = meanOf(errors);
    if (mean !== null && (!best || mean < best.mean)) best = { truth: instance.truth, errors, mean };
  }
  const accepted = instances.find(
    (i) => i.modelJoints !== null && i.modelJoints.length === joints.length && i.modelJoints.every(([x, y], j) => Math.abs(x - joints[j][0]) <= SAME_PX && Math.abs(y - joints[j][1]) <= SAME_PX),
  );
  return {
    truth: best?.truth ?? null,
    errorPx: best?.mean ?? null,
    perJointErrorPx: best?.errors ?? null,
    accepted: accepted !== undefined,
    acceptedInstanceId: accepted?.instanceId ?? null,
  };
}

/** The paper's ten LSP limbs for the LSP skeleton; otherwise each bone of the skeleton. */
export function limbsFor(skeleton: Skeleton): Limb[] {
  if (JSON.stringify(skeleton.joints) === JSON.stringify(LSP14.joints)) return LSP_LIMBS;
  return skeleton.edges.map(([a, b]) => ({ name: `${skeleton.joints[a]} – ${skeleton.joints[b]}`, ends: [[a], [b]] }));
}

/** Metrics over the predictions that have labels; null when none has, or no torso can be measured. */
export function setMetrics(catalog: Catalog, skeleton: Skeleton, pairs: { joints: [number, number][]; truth: Joints }[]): PredictionMetrics | null {
  if (pairs.length === 0) return null;
  const options: EvaluationOptions = { torsoPairs: torsoPairsFor(skeleton), limbs: limbsFor(skeleton), fractions: DEFAULT_PDJ_FRACTIONS };
  const truth = pairs.map((p) => p.truth);
  const model = evaluatePoses(
    pairs.map((p) => p.joints.map(([x, y]): Joint => [x, y, 2])),
    truth,
    options,
  );
  if (model.pck.mean === null) return null;
  const train = listExamples(catalog, 'train').map((e): Joints => e.joints);
  const baseline = train.length ? evaluatePoses(predictMeanPose(fitMeanPose(train), truth), truth, options) : null;
  return {
    labeled: pairs.length,
    pckMean: model.pck.mean,
    pckPerJoint: model.pck.perJoint.map((v) => v ?? 0),
    pcpPerLimb: model.pcp.perLimb.filter((l) => l.value !== null).map((l) => ({ limb: l.name, pcp: l.value as number })),
    meanPixelErrorPerJoint: model.meanPixelError.perJoint,
    baselinePckMean: baseline?.pck.mean ?? null,
    baselinePckPerJoint: baseline?.pck.perJoint ?? null,
    baselinePixelErrorPerJoint: baseline?.meanPixelError.perJoint ?? null,
    curve: model.pdj.fractions.map((threshold, k) => ({ threshold, pck: model.pdj.rates[k].mean ?? 0, baseline: baseline ? baseline.pdj.rates[k].mean : null })),
  };
}
