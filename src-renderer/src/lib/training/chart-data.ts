// Series for the charts, in the column layout uPlot draws: [x values, y series...], with null
// where a series has no point at that x.
import type { SeriesPoint } from './run-state';
import { smoothEma } from './smoothing';

export type Columns = [number[], ...(number | null)[][]];

export interface Line {
  xs: readonly number[];
  ys: readonly (number | null)[];
}

/** Training loss per iteration: the raw values and their smoothed line. */
export function trainLossColumns(train: readonly SeriesPoint[], smoothing: number): Columns {
  const raw = train.map((p) => p.loss);
  return [train.map((p) => p.iteration), raw, smoothEma(raw, smoothing)];
}

/** Validation loss and PCK (as a percentage) per validation, against the epoch. */
export function validationColumns(val: readonly SeriesPoint[]): Columns {
  return [val.map((p) => p.epoch), val.map((p) => p.loss), val.map((p) => (p.pck == null ? null : p.pck * 100))];
}

/** Several runs' curves on one shared x axis (the union of their x values). */
export function overlayColumns(lines: readonly Line[]): Columns {
  const xs = [...new Set(lines.flatMap((l) => l.xs))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = lines.map((line) => {
    const ys: (number | null)[] = new Array(xs.length).fill(null);
    line.xs.forEach((x, i) => (ys[index.get(x)!] = line.ys[i] ?? null));
    return ys;
  });
  return [xs, ...columns];
}

/**
 * The PCK axis's range (%) that fits the data: 0 up to a round step above the highest value
 * (the baseline included), at least 5 %, at most 100 %. A run at 1-2 % on a fixed 0-100 % axis
 * drew a flat line.
 */
export function pckAxisRange(percents: readonly (number | null | undefined)[]): [number, number] {
  const top = Math.max(0, ...percents.filter((p): p is number => p != null && Number.isFinite(p)));
  const step = top <= 10 ? 1 : top <= 50 ? 5 : 10;
  return [0, Math.min(100, Math.max(5, Math.ceil((top * 1.1) / step) * step))];
}
