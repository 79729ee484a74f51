// The two confidence proxies of one prediction, from what the worker already has: the final
// joints, each stage's joints and (when the flip check ran) the mirrored-back joints. Both are
// per-joint distances in units of the prediction's own torso diameter, so a far-away person
// and a close-up one read alike; the diameter is `poseDiameter` of the final joints (the one
// the joint close-ups are sized by: mean shoulder-to-opposite-hip length, or half the longer
// side of the pose's extent for a skeleton without torso pairs).
import type { ConfidenceProxies } from '../../../src-shared/domain/confidence';
import { poseDiameter } from '../training/data/refine-view';

/** A collapsed pose (every joint on one spot) has no size; below a pixel the distances are kept in pixels. */
const MIN_DIAMETER_PX = 1;

/** Per joint, |a_j − b_j| ÷ the torso diameter of `reference`. */
export function scaledDistances(a: [number, number][], b: [number, number][], reference: [number, number][], torsoPairs: [number, number][]): number[] {
  const diameter = Math.max(MIN_DIAMETER_PX, poseDiameter(reference, torsoPairs));
  return a.map(([x, y], j) => Math.hypot(x - b[j][0], y - b[j][1]) / diameter);
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

export function confidenceProxies(input: {
  joints: [number, number][];
  /** Joints after each stage, stage 1 first. */
  stages: [number, number][][];
  /** The mirror image's prediction in this picture's frame; null when the flip check was off. */
  mirrored: [number, number][] | null;
  torsoPairs: [number, number][];
}): ConfidenceProxies {
  const { joints, stages, mirrored, torsoPairs } = input;
  const flipPerJoint = mirrored ? scaledDistances(joints, mirrored, joints, torsoPairs) : null;
  const correctionPerJoint = stages.length >= 2 ? scaledDistances(stages[stages.length - 1], stages[stages.length - 2], joints, torsoPairs) : null;
  return {
    flip: flipPerJoint && mean(flipPerJoint),
    flipPerJoint,
    correction: correctionPerJoint && mean(correctionPerJoint),
    correctionPerJoint,
  };
}
