// What every metric compares: per example, one [x, y, v] per joint with the catalog's
// visibility (0 not labeled, 1 labeled but occluded, 2 visible). Only labeled truth joints
// count; whether occluded ones do is a choice (`countOccluded`, on by default, as in the
// LSP and DeepPose evaluations, which score every labeled joint).
import { StudioError } from '../../../src-shared/api/define';
import type { Skeleton } from '../../../src-shared/domain/skeleton';

export type Joint = [x: number, y: number, v: number];
export type Joints = Joint[];

export interface CountingOptions {
  /** Count truth joints labeled as occluded (v 1); default true. v 0 never counts. */
  countOccluded?: boolean;
}

export function counts(truth: Joint | undefined, { countOccluded = true }: CountingOptions): boolean {
  return truth !== undefined && (truth[2] === 2 || (countOccluded && truth[2] === 1));
}

/** Distance between a prediction and the truth; a missing or non-finite prediction is infinitely far. */
export function jointDistance(pred: Joint | undefined, truth: Joint): number {
  if (!pred || !Number.isFinite(pred[0]) || !Number.isFinite(pred[1])) return Infinity;
  return Math.hypot(pred[0] - truth[0], pred[1] - truth[1]);
}

/** Predictions and truth must describe the same examples with the same joints. */
export function checkPairs(pred: Joints[], truth: Joints[]): number {
  if (pred.length !== truth.length)
    throw new StudioError('invalid-argument', `metrics: ${pred.length} predictions for ${truth.length} examples`);
  const jointCount = truth[0]?.length ?? 0;
  truth.forEach((t, i) => {
    if (t.length !== jointCount || pred[i].length !== jointCount) {
      throw new StudioError(
        'invalid-argument',
        `metrics: example ${i} has ${pred[i].length} predicted and ${t.length} true joints, expected ${jointCount}`,
      );
    }
  });
  return jointCount;
}

/**
 * Torso diameter pairs, tried in order: LSP's convention, the left shoulder to the right hip
 * (as LSP's PCK and the DeepPose paper's PDJ measure it), else the right shoulder to the left
 * hip when one of those is not labeled (README "Metrics").
 */
export const LSP_TORSO_PAIRS: [number, number][] = [
  [9, 2],
  [8, 3],
];

/** LSP's head segment, neck to head top: PCKh's yardstick. */
export const LSP_HEAD_SEGMENT: [number, number] = [12, 13];

/** The same pairs found by joint name ('right shoulder', 'right_shoulder', ...) in any skeleton. */
export function torsoPairsFor(skeleton: Skeleton): [number, number][] {
  const find = (name: string) => skeleton.joints.findIndex((j) => j.toLowerCase().replace(/_/g, ' ') === name);
  const pairs: [number, number][] = [
    [find('left shoulder'), find('right hip')],
    [find('right shoulder'), find('left hip')],
  ];
  return pairs.filter(([a, b]) => a >= 0 && b >= 0);
}

/** The head segment (neck to head top) found by joint name, or null when the skeleton has none (COCO-17). */
export function headSegmentFor(skeleton: Skeleton): [number, number] | null {
  const find = (...names: string[]) =>
    skeleton.joints.findIndex((j) => names.includes(j.toLowerCase().replace(/_/g, ' ')));
  const neck = find('neck', 'upper neck', 'thorax');
  const top = find('head top', 'head');
  return neck >= 0 && top >= 0 ? [neck, top] : null;
}

/** Length of one labeled segment of a truth pose, else null. */
export function segmentLength(truth: Joints, [a, b]: [number, number]): number | null {
  const p = truth[a];
  const q = truth[b];
  if (!p || !q || p[2] === 0 || q[2] === 0) return null;
  const d = Math.hypot(p[0] - q[0], p[1] - q[1]);
  return d > 0 ? d : null;
}

/** Torso size of one truth pose from the first pair with both joints labeled, else null. */
export function torsoDiameter(truth: Joints, pairs: [number, number][] = LSP_TORSO_PAIRS): number | null {
  for (const pair of pairs) {
    const d = segmentLength(truth, pair);
    if (d !== null) return d;
  }
  return null;
}

/** Rate from hits and counts; null when nothing was counted. */
export function rate(hits: number, counted: number): number | null {
  return counted === 0 ? null : hits / counted;
}
