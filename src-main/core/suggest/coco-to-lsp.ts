// COCO's 17 keypoints onto the 14-joint LSP skeleton. Ankles, knees, hips, wrists, elbows and
// shoulders exist in both and map directly. LSP's two head joints do not exist in COCO:
//  - neck: the midpoint of the two shoulders (score: the lower shoulder score);
//  - head top: from the head's centre (the ears' midpoint, else the eyes', else the nose) one
//    head length further along the neck → head-centre direction. The head length is the mean
//    of 0.9 × the ear-to-ear distance (a head is about as tall above the ears as it is wide
//    between them; used only when both ears are placed) and 0.8 × the neck → head-centre
//    distance (which keeps a profile view, where the ears overlap, from collapsing it).
//    Its score is the lower of the neck's and the head keypoints' mean.
// A joint whose score is below the threshold stays unplaced (null).
import type { SuggestedJoint } from '../../../src-shared/domain/suggestion';

type Point = [x: number, y: number, score: number];

/** LSP joint index → COCO keypoint index, for the joints both skeletons have. */
const DIRECT: Record<number, number> = {
  0: 16,
  1: 14,
  2: 12,
  3: 11,
  4: 13,
  5: 15,
  6: 10,
  7: 8,
  8: 6,
  9: 5,
  10: 7,
  11: 9,
};
const COCO = { nose: 0, leftEye: 1, rightEye: 2, leftEar: 3, rightEar: 4, leftShoulder: 5, rightShoulder: 6 } as const;
export const LSP_NECK = 12;
export const LSP_HEAD_TOP = 13;
const EAR_WIDTH_TO_HEAD = 0.9;
const NECK_TO_HEAD = 0.8;

function midpoint(a: Point, b: Point): Point {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, Math.min(a[2], b[2])];
}

/** The neck and head top from the raw keypoints, before any threshold; null where not derivable. */
export function deriveHead(kp: Point[], threshold: number): { neck: Point | null; headTop: Point | null } {
  const placed = (i: number) => kp[i][2] >= threshold;
  if (!placed(COCO.leftShoulder) || !placed(COCO.rightShoulder)) return { neck: null, headTop: null };
  const neck = midpoint(kp[COCO.leftShoulder], kp[COCO.rightShoulder]);
  const sources: number[][] = [[COCO.leftEar, COCO.rightEar], [COCO.leftEye, COCO.rightEye], [COCO.nose]].map((group) =>
    group.filter(placed),
  );
  const group = sources.find((g) => g.length > 0);
  if (!group) return { neck, headTop: null };
  const mean = (c: 0 | 1 | 2) => group.reduce((sum, i) => sum + kp[i][c], 0) / group.length;
  const centre: Point = [mean(0), mean(1), mean(2)];
  const dx = centre[0] - neck[0];
  const dy = centre[1] - neck[1];
  const up = Math.hypot(dx, dy);
  if (up < 1e-6) return { neck, headTop: null };
  const lengths = [NECK_TO_HEAD * up];
  if (placed(COCO.leftEar) && placed(COCO.rightEar))
    lengths.push(
      EAR_WIDTH_TO_HEAD *
        Math.hypot(kp[COCO.leftEar][0] - kp[COCO.rightEar][0], kp[COCO.leftEar][1] - kp[COCO.rightEar][1]),
    );
  const length = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  return {
    neck,
    headTop: [centre[0] + (dx / up) * length, centre[1] + (dy / up) * length, Math.min(neck[2], centre[2])],
  };
}

/** 14 LSP joints from 17 COCO keypoints ([x, y, score] each); unsure joints are null. */
export function cocoToLsp(kp: Point[], threshold: number): (SuggestedJoint | null)[] {
  const joint = (p: Point | null): SuggestedJoint | null =>
    p && p[2] >= threshold ? { x: p[0], y: p[1], score: p[2] } : null;
  const { neck, headTop } = deriveHead(kp, threshold);
  return Array.from({ length: 14 }, (_, j) =>
    j === LSP_NECK ? joint(neck) : j === LSP_HEAD_TOP ? joint(headTop) : joint(kp[DIRECT[j]]),
  );
}
