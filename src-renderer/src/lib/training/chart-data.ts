// Series for the charts, in the column layout uPlot draws: [x values, y series...], with null
// where a series has no point at that x.
import type { SeriesPoint } from './run-state';
import { smoothEma } from './smoothing';
import { epochsBeforeStage, stageEpochs, stageOfEpoch } from '../../../../src-shared/training/config';

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

/** A span of the x axis that belongs to one cascade stage, shaded and labelled on a chart. */
export interface ChartBand {
  from: number;
  to: number;
  label: string;
}

type Plan = Parameters<typeof stageOfEpoch>[0];

/**
 * Each cascade stage's span on a chart, so a stage's fresh network (its loss jumps back up) does
 * not read as divergence. Against iterations: from the first point of the stage to the next
 * stage's first point (the last point for the last stage); against epochs: the stage's own epochs.
 * None for a one-stage run.
 */
export function stageBands(points: readonly SeriesPoint[], plan: Plan | null, x: 'iteration' | 'epoch'): ChartBand[] {
  const stages = plan?.stages ?? 1;
  if (!plan || stages < 2 || points.length === 0) return [];
  const label = (stage: number) => `stage ${stage}`;
  if (x === 'epoch') {
    const last = Math.max(...points.map((p) => p.epoch));
    const bands: ChartBand[] = [];
    for (let stage = 1; stage <= stages; stage++) {
      const from = epochsBeforeStage(plan, stage);
      if (from >= last) break;
      bands.push({ from, to: from + stageEpochs(plan, stage), label: label(stage) });
    }
    return bands;
  }
  const starts: { stage: number; at: number }[] = [];
  for (const p of points) {
    const { stage } = stageOfEpoch(plan, p.epoch);
    if (starts.at(-1)?.stage !== stage) starts.push({ stage, at: p.iteration });
  }
  const end = points[points.length - 1].iteration;
  return starts.map((s, i) => ({
    from: i === 0 ? Math.min(0, s.at) : s.at,
    to: starts[i + 1]?.at ?? end,
    label: label(s.stage),
  }));
}
