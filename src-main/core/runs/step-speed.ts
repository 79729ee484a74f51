// Seconds per optimizer step as this machine measured them in an earlier run: the training
// rows the host stored as progress arrived (iteration, time). Between two rows the time per
// step is Δtime ÷ Δiterations; the median over the run, weighted by steps, leaves out the
// pauses for validation, checkpoints and resumes.
import type { StepSpeed } from '../../../src-shared/training/run-estimate';
import type { Catalog } from '../catalog/open-catalog';
import { listMetrics, listRuns } from '../catalog/runs';

/** Fewer timed steps than this say little (the first ones of a run include its warm-up). */
const MIN_STEPS = 5;

export interface SpeedMatch {
  model: string;
  backend: string;
  batchSize: number;
  optimizer: string;
}

/** The step-weighted median of Δtime/Δiteration between consecutive training rows; null with too few steps. */
export function secondsPerStep(
  rows: readonly { iteration: number; at: number }[],
): { seconds: number; steps: number } | null {
  const sorted = [...rows].sort((a, b) => a.iteration - b.iteration);
  const spans: { perStep: number; steps: number }[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const steps = sorted[i].iteration - sorted[i - 1].iteration;
    const ms = sorted[i].at - sorted[i - 1].at;
    if (steps > 0 && ms > 0) spans.push({ perStep: ms / 1000 / steps, steps });
  }
  const total = spans.reduce((sum, s) => sum + s.steps, 0);
  if (total < MIN_STEPS) return null;
  spans.sort((a, b) => a.perStep - b.perStep);
  let seen = 0;
  for (const span of spans) {
    seen += span.steps;
    if (seen >= total / 2) return { seconds: span.perStep, steps: total };
  }
  return null;
}

/** The newest run of the same model, backend and batch size (the same optimizer first) that timed enough steps. */
export function speedFromRuns(catalog: Catalog, match: SpeedMatch): StepSpeed | null {
  const candidates = listRuns(catalog).filter((run) => {
    const config = run.config as Partial<Record<keyof SpeedMatch, unknown>>;
    return run.backend === match.backend && config.model === match.model && config.batchSize === match.batchSize;
  });
  const sameOptimizer = (run: (typeof candidates)[number]) =>
    (run.config as { optimizer?: unknown }).optimizer === match.optimizer;
  for (const run of [...candidates.filter(sameOptimizer), ...candidates.filter((r) => !sameOptimizer(r))]) {
    const rows = listMetrics(catalog, run.id).filter((row) => row.split === 'train');
    const timed = secondsPerStep(rows);
    if (timed)
      return {
        secondsPerStep: timed.seconds,
        source: 'run',
        runName: run.name,
        steps: timed.steps,
        at: rows.at(-1)?.at ?? run.createdAt,
      };
  }
  return null;
}
