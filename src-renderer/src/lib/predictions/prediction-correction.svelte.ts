// Correcting an accepted prediction in place, in the Predict view's detail: the workspace's own
// canvas, joint moves (labels.ts) and History, on the one person the prediction became. Only the
// joints dragged are saved, so they become the person's labels (source human) and the rest stay
// the model's answer, which is never scored against itself. Undo back to the accepted state
// accepts the prediction again, so no joint is left marked human at the model's own place.
import type { Prediction } from '../../../../src-shared/api/predictions.contract';
import type { Instance } from '../../../../src-shared/domain/image';
import type { KeypointInput } from '../../../../src-shared/domain/keypoint';
import { api } from '../api/api';
import { History } from '../annotation/history';
import { labelsFromInstances, moveJoint, serverKey, type ImageLabels } from '../annotation/labels';

export class PredictionCorrection {
  labels = $state.raw<ImageLabels>({ instances: [] });
  canUndo = $state(false);
  saving = $state(false);
  error = $state<string | null>(null);

  private history: History<ImageLabels>;
  /** What the catalog holds now, joint by joint. */
  private saved: readonly KeypointInput[];
  /** The accepted prediction's joints, when this correction accepted it: undo back to them re-accepts. */
  private readonly accepted: readonly KeypointInput[] | null;
  /** The person's joints when the correction began. */
  private readonly first: readonly KeypointInput[];

  constructor(
    readonly project: string,
    readonly predictionId: number,
    readonly imageId: number,
    readonly instance: Instance,
    jointCount: number,
    fromAccepted: boolean,
  ) {
    this.labels = labelsFromInstances([instance], jointCount);
    this.history = new History(this.labels);
    this.saved = this.first = this.labels.instances[0].keypoints;
    this.accepted = fromAccepted ? this.first : null;
  }

  /** Joints moved away from what this correction started from. */
  get moved(): number {
    return this.labels.instances[0].keypoints.filter((k, j) => k.x !== this.first[j].x || k.y !== this.first[j].y)
      .length;
  }

  get key(): string {
    return serverKey(this.instance.id);
  }

  /** While a joint is dragged: shown, not recorded. */
  move(joint: number, x: number, y: number): void {
    this.history.preview(moveJoint(this.history.present, this.key, joint, x, y));
    this.labels = this.history.present;
  }

  /** The drag ended: one undo step, and the moved joint saved as the person's label. */
  async moveEnd(): Promise<void> {
    this.history.commit();
    this.canUndo = this.history.canUndo;
    await this.save();
  }

  async undo(): Promise<void> {
    this.labels = this.history.undo();
    this.canUndo = this.history.canUndo;
    await this.save();
  }

  private async save(): Promise<void> {
    const wanted = this.labels.instances[0].keypoints;
    const changed = wanted.filter((k, j) => k.x !== this.saved[j].x || k.y !== this.saved[j].y);
    if (changed.length === 0) return;
    this.saving = true;
    this.error = null;
    try {
      const accepted = this.accepted;
      const backToAccepted =
        accepted !== null && wanted.every((k, j) => k.x === accepted[j].x && k.y === accepted[j].y);
      if (backToAccepted)
        await api.call('predictions.accept', { project: this.project, predictionId: this.predictionId });
      else
        await api.call('keypoints.save', {
          project: this.project,
          instanceId: this.instance.id,
          keypoints: changed.map((k) => ({ ...k })),
        });
      this.saved = wanted;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.saving = false;
    }
  }
}

/**
 * Opens the person to correct: where the image has no label of a person's hand yet (or the label
 * is this prediction), the prediction is accepted first and undo can come back to it; where a
 * person labeled the image, the labeled person nearest the prediction is corrected as it is.
 */
export async function startCorrection(
  project: string,
  prediction: Pick<Prediction, 'id' | 'imageId' | 'accepted' | 'truth' | 'joints'>,
  jointCount: number,
): Promise<PredictionCorrection> {
  if (prediction.imageId != null && prediction.truth != null && !prediction.accepted) {
    const { instances } = await api.call('images.get', { project, imageId: prediction.imageId });
    const instance = nearestPerson(instances, prediction.joints);
    if (instance)
      return new PredictionCorrection(project, prediction.id, prediction.imageId, instance, jointCount, false);
  }
  const { imageId, instanceId } = await api.call('predictions.accept', { project, predictionId: prediction.id });
  const { instances } = await api.call('images.get', { project, imageId });
  const instance = instances.find((i) => i.id === instanceId);
  if (!instance) throw new Error(`The accepted person (${instanceId}) is not on image ${imageId}.`);
  return new PredictionCorrection(project, prediction.id, imageId, instance, jointCount, true);
}

/** The person whose labeled joints lie nearest the prediction's (mean distance). */
function nearestPerson(instances: Instance[], joints: Prediction['joints']): Instance | null {
  let best: { instance: Instance; mean: number } | null = null;
  for (const instance of instances) {
    const d = instance.keypoints
      .filter((k) => k.visibility > 0 && k.joint < joints.length)
      .map((k) => Math.hypot(k.x - joints[k.joint][0], k.y - joints[k.joint][1]));
    if (d.length === 0) continue;
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    if (!best || mean < best.mean) best = { instance, mean };
  }
  return best?.instance ?? null;
}
