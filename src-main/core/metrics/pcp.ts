// PCP (percentage of correct parts), the DeepPose paper's measure on LSP: a limb is correct
// when both predicted ends lie within `factor` (0.5) of the true limb's length of the true
// ends ("strict" PCP). A limb counts only when every joint defining it counts.
import { checkPairs, counts, rate, type CountingOptions, type Joint, type Joints } from '../pose/pose-joints';

/** A stick between two ends; an end is one joint or the midpoint of several. */
export interface Limb {
  name: string;
  ends: [number[], number[]];
}

/** LSP's ten limbs: torso (hip centre to shoulder centre), head, upper and lower arms and legs. */
export const LSP_LIMBS: Limb[] = [
  {
    name: 'torso',
    ends: [
      [2, 3],
      [8, 9],
    ],
  },
  { name: 'head', ends: [[12], [13]] },
  { name: 'right upper arm', ends: [[8], [7]] },
  { name: 'left upper arm', ends: [[9], [10]] },
  { name: 'right lower arm', ends: [[7], [6]] },
  { name: 'left lower arm', ends: [[10], [11]] },
  { name: 'right upper leg', ends: [[2], [1]] },
  { name: 'left upper leg', ends: [[3], [4]] },
  { name: 'right lower leg', ends: [[1], [0]] },
  { name: 'left lower leg', ends: [[4], [5]] },
];

export interface PcpOptions extends CountingOptions {
  limbs?: Limb[];
  factor?: number;
}

export interface PcpResult {
  perLimb: { name: string; value: number | null; counted: number }[];
  /** Over all counted limbs of all examples (pooled). */
  mean: number | null;
}

function endPoint(joints: Joints, end: number[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const j of end) {
    const joint: Joint | undefined = joints[j];
    x += joint ? joint[0] : NaN;
    y += joint ? joint[1] : NaN;
  }
  return [x / end.length, y / end.length];
}

export function pcp(pred: Joints[], truth: Joints[], options: PcpOptions = {}): PcpResult {
  checkPairs(pred, truth);
  const limbs = options.limbs ?? LSP_LIMBS;
  const factor = options.factor ?? 0.5;
  const hits = limbs.map(() => 0);
  const counted = limbs.map(() => 0);
  truth.forEach((t, i) => {
    limbs.forEach((limb, k) => {
      if (!limb.ends.flat().every((j) => counts(t[j], options))) return;
      counted[k]++;
      const [a, b] = limb.ends.map((end) => endPoint(t, end));
      const [pa, pb] = limb.ends.map((end) => endPoint(pred[i], end));
      const tolerance = factor * Math.hypot(a[0] - b[0], a[1] - b[1]);
      // NaN distances (missing predictions) fail both comparisons.
      if (Math.hypot(pa[0] - a[0], pa[1] - a[1]) <= tolerance && Math.hypot(pb[0] - b[0], pb[1] - b[1]) <= tolerance)
        hits[k]++;
    });
  });
  return {
    perLimb: limbs.map((limb, k) => ({ name: limb.name, value: rate(hits[k], counted[k]), counted: counted[k] })),
    mean: rate(
      hits.reduce((a, b) => a + b, 0),
      counted.reduce((a, b) => a + b, 0),
    ),
  };
}
