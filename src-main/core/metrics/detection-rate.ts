// PCK, PCKh and PDJ: a joint is detected when the prediction lies strictly within (`<`) a
// fraction of a reference length of the truth pose: the torso diameter (PCK, PDJ) or the head
// segment (PCKh). PDJ sweeps the fraction (for curves); PCK@alpha is one point of it.
// Examples with no reference (its joints not labeled) are skipped and counted.
import {
  checkPairs,
  counts,
  jointDistance,
  LSP_TORSO_PAIRS,
  rate,
  segmentLength,
  torsoDiameter,
  type CountingOptions,
  type Joints,
} from '../pose/pose-joints';

export interface DetectionOptions extends CountingOptions {
  torsoPairs?: [number, number][];
  /** The reference length of a truth pose; default its torso diameter. */
  reference?: (truth: Joints) => number | null;
}

export interface DetectionRate {
  /** Per joint: detected / counted, null when no example counted that joint. */
  perJoint: (number | null)[];
  /** Over all counted joints of all examples (pooled). */
  mean: number | null;
  /** Counted joints per joint. */
  counted: number[];
  /** Examples without a torso reference. */
  skipped: number;
}

export interface PdjCurve {
  fractions: number[];
  /** One DetectionRate per fraction. */
  rates: DetectionRate[];
}

export function pdj(pred: Joints[], truth: Joints[], fractions: number[], options: DetectionOptions = {}): PdjCurve {
  const jointCount = checkPairs(pred, truth);
  const hits = fractions.map(() => new Array<number>(jointCount).fill(0));
  const counted = new Array<number>(jointCount).fill(0);
  let skipped = 0;
  truth.forEach((t, i) => {
    const torso = options.reference ? options.reference(t) : torsoDiameter(t, options.torsoPairs ?? LSP_TORSO_PAIRS);
    if (torso === null) {
      skipped++;
      return;
    }
    t.forEach((joint, j) => {
      if (!counts(joint, options)) return;
      counted[j]++;
      const d = jointDistance(pred[i][j], joint);
      fractions.forEach((f, k) => {
        if (d < f * torso) hits[k][j]++;
      });
    });
  });
  const total = counted.reduce((a, b) => a + b, 0);
  return {
    fractions,
    rates: hits.map((h) => ({
      perJoint: h.map((n, j) => rate(n, counted[j])),
      mean: rate(
        h.reduce((a, b) => a + b, 0),
        total,
      ),
      counted,
      skipped,
    })),
  };
}

/** PCK@alpha with the torso diameter as reference (alpha 0.2 by default). */
export function pck(
  pred: Joints[],
  truth: Joints[],
  options: DetectionOptions & { alpha?: number } = {},
): DetectionRate & { alpha: number } {
  const alpha = options.alpha ?? 0.2;
  return { alpha, ...pdj(pred, truth, [alpha], options).rates[0] };
}

/** PCKh@alpha: the reference is the truth's head segment (neck to head top), MPII's measure (alpha 0.5 by default). */
export function pckh(
  pred: Joints[],
  truth: Joints[],
  head: [number, number],
  options: CountingOptions & { alpha?: number } = {},
): DetectionRate & { alpha: number } {
  const alpha = options.alpha ?? 0.5;
  return { alpha, ...pdj(pred, truth, [alpha], { ...options, reference: (t) => segmentLength(t, head) }).rates[0] };
}
