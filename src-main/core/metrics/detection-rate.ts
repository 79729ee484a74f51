// PCK and PDJ: a joint is detected when the prediction lies within a fraction of the torso
// diameter of the truth. PDJ sweeps the fraction (for curves); PCK@alpha is one point of it.
// Examples with no torso reference (neither pair labeled) are skipped and counted.
import { checkPairs, counts, jointDistance, LSP_TORSO_PAIRS, rate, torsoDiameter, type CountingOptions, type Joints } from '../pose/pose-joints';

export interface DetectionOptions extends CountingOptions {
  torsoPairs?: [number, number][];
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
    const torso = torsoDiameter(t, options.torsoPairs ?? LSP_TORSO_PAIRS);
    if (torso === null) {
      skipped++;
      return;
    }
    t.forEach((joint, j) => {
      if (!counts(joint, options)) return;
      counted[j]++;
      const d = jointDistance(pred[i][j], joint);
      fractions.forEach((f, k) => {
        if (d <= f * torso) hits[k][j]++;
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
export function pck(pred: Joints[], truth: Joints[], options: DetectionOptions & { alpha?: number } = {}): DetectionRate & { alpha: number } {
  const alpha = options.alpha ?? 0.2;
  return { alpha, ...pdj(pred, truth, [alpha], options).rates[0] };
}
