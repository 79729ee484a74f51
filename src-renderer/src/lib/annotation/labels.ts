// One image's labels as the workspace edits them: immutable snapshots (so History can keep
// them) of instances, each with one keypoint per skeleton joint, in image pixels.
import type { Box, Instance } from '../../../../src-shared/domain/image';
import { roundCoordinate, type KeypointInput, type Visibility } from '../../../../src-shared/domain/keypoint';

/** `key` is stable for the session even when the instance is re-created on the server (undo of a delete). */
export interface LabeledInstance {
  readonly key: string;
  readonly keypoints: readonly KeypointInput[];
  /** The person box training and prediction crop around; null: the image is seen whole. */
  readonly box: Box | null;
}

export interface ImageLabels {
  readonly instances: readonly LabeledInstance[];
  /** People a model suggested, not labels until accepted (suggestions.ts); absent: none. */
  readonly suggestions?: readonly SuggestionView[];
}

/** A suggested person on the canvas; accepting its joints fills the instance `instanceKey` (made on the first). */
export interface SuggestionView {
  readonly id: number;
  readonly instanceKey: string;
  readonly box: Box;
  readonly score: number;
  readonly joints: readonly ({ x: number; y: number; score: number } | null)[];
}

export function serverKey(instanceId: number): string {
  return `i${instanceId}`;
}

export function labelsFromInstances(instances: Instance[], jointCount: number): ImageLabels {
  return {
    instances: instances.map((instance) => {
      const byJoint = new Map(instance.keypoints.map((k) => [k.joint, k]));
      return {
        key: serverKey(instance.id),
        box: instance.box,
        keypoints: Array.from({ length: jointCount }, (_, joint) => {
          const k = byJoint.get(joint);
          return k
            ? { joint, x: k.x, y: k.y, visibility: k.visibility, ...(k.absent ? { absent: k.absent } : {}) }
            : { joint, x: 0, y: 0, visibility: 0 as Visibility };
        }),
      };
    }),
  };
}

export function emptyInstance(key: string, jointCount: number): LabeledInstance {
  return {
    key,
    box: null,
    keypoints: Array.from({ length: jointCount }, (_, joint) => ({ joint, x: 0, y: 0, visibility: 0 as Visibility })),
  };
}

export function findInstance(labels: ImageLabels, key: string | null): LabeledInstance | undefined {
  return labels.instances.find((instance) => instance.key === key);
}

function updateJoint(
  labels: ImageLabels,
  key: string,
  joint: number,
  change: (k: KeypointInput) => KeypointInput,
): ImageLabels {
  return {
    ...labels,
    instances: labels.instances.map((instance) =>
      instance.key !== key
        ? instance
        : { ...instance, keypoints: instance.keypoints.map((k) => (k.joint === joint ? change(k) : k)) },
    ),
  };
}

/**
 * A click places a joint as visible, unless the person already marked it occluded; `occluded`
 * (Shift-click) places it occluded in one step.
 */
export function placeJoint(
  labels: ImageLabels,
  key: string,
  joint: number,
  x: number,
  y: number,
  occluded = false,
): ImageLabels {
  return updateJoint(labels, key, joint, (k) => ({
    joint,
    x: roundCoordinate(x),
    y: roundCoordinate(y),
    visibility: occluded || k.visibility === 1 ? 1 : 2,
  }));
}

/** Dragging keeps the joint's visibility. Coordinates are kept as the catalog stores them (COORDINATE_DECIMALS), so the page never holds a value a reload would change. */
export function moveJoint(labels: ImageLabels, key: string, joint: number, x: number, y: number): ImageLabels {
  return updateJoint(labels, key, joint, (k) => ({ ...k, x: roundCoordinate(x), y: roundCoordinate(y) }));
}

/** Moves a labeled joint by (dx, dy) image pixels, kept on the image; null when it is not labeled. */
export function nudgeJoint(
  labels: ImageLabels,
  key: string,
  joint: number,
  dx: number,
  dy: number,
  width: number,
  height: number,
): ImageLabels | null {
  const k = findInstance(labels, key)?.keypoints[joint];
  if (!k || k.visibility === 0) return null;
  const x = roundCoordinate(Math.min(width, Math.max(0, k.x + dx)));
  const y = roundCoordinate(Math.min(height, Math.max(0, k.y + dy)));
  if (x === k.x && y === k.y) return null;
  return updateJoint(labels, key, joint, (old) => ({ ...old, x, y }));
}

/** Clears a joint entirely (the "delete joint" command). */
export function clearJoint(labels: ImageLabels, key: string, joint: number): ImageLabels {
  return updateJoint(labels, key, joint, () => ({ joint, x: 0, y: 0, visibility: 0 }));
}

/**
 * Marks a joint absent (out of frame: the person looked and it is not in the picture), or, when
 * it already is, not labeled again. An absent joint has no position and counts as done.
 */
export function toggleAbsent(labels: ImageLabels, key: string, joint: number): ImageLabels | null {
  const k = findInstance(labels, key)?.keypoints[joint];
  if (!k) return null;
  return updateJoint(labels, key, joint, () =>
    isAbsent(k) ? { joint, x: 0, y: 0, visibility: 0 } : { joint, x: 0, y: 0, visibility: 0, absent: 'out-of-frame' },
  );
}

export function isAbsent(k: KeypointInput): boolean {
  return k.visibility === 0 && k.absent != null;
}

/** Placed (visible or occluded) or marked absent: nothing left to do for this joint. */
export function isDone(k: KeypointInput): boolean {
  return k.visibility > 0 || isAbsent(k);
}

/**
 * visible -> occluded -> not labeled -> visible again. Not labeled keeps the coordinates so the
 * cycle can come back; a joint that was never placed has none and stays unlabeled (returns null).
 */
export function cycleVisibility(labels: ImageLabels, key: string, joint: number): ImageLabels | null {
  const k = findInstance(labels, key)?.keypoints[joint];
  if (!k) return null;
  if (k.visibility === 0 && k.x === 0 && k.y === 0) return null;
  const next: Visibility = k.visibility === 2 ? 1 : k.visibility === 1 ? 0 : 2;
  return updateJoint(labels, key, joint, (old) => ({ ...old, visibility: next }));
}

/** Sets (or clears, null) a person's box. */
export function setBox(labels: ImageLabels, key: string, box: Box | null): ImageLabels {
  return {
    ...labels,
    instances: labels.instances.map((instance) => (instance.key !== key ? instance : { ...instance, box })),
  };
}

export function addInstance(labels: ImageLabels, instance: LabeledInstance): ImageLabels {
  return { ...labels, instances: [...labels.instances, instance] };
}

export function removeInstance(labels: ImageLabels, key: string): ImageLabels {
  return { ...labels, instances: labels.instances.filter((instance) => instance.key !== key) };
}

/** The joint a click places: the first unlabeled one from `from` on, wrapping; null when all are labeled. */
export function nextUnlabeled(keypoints: readonly KeypointInput[], from = 0): number | null {
  const n = keypoints.length;
  for (let step = 0; step < n; step++) {
    const joint = (((from + step) % n) + n) % n;
    if (!isDone(keypoints[joint])) return joint;
  }
  return null;
}

export function labeledCount(keypoints: readonly KeypointInput[]): number {
  return keypoints.filter(isDone).length;
}

/** Next / previous joint for keyboard navigation, wrapping around the skeleton. */
export function stepJoint(current: number, delta: number, jointCount: number): number {
  return (((current + delta) % jointCount) + jointCount) % jointCount;
}
