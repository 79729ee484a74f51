// What the dashboard knows about one run: its stored history (runs.get) folded together with
// the worker's live events. Pure functions, so a reload rebuilds exactly the same picture.
import type { MetricRow, RunEvent, RunStatus, RunSummary } from '../../../../src-shared/api/training.contract';
import { epochLabel, stageOfEpoch } from '../../../../src-shared/training/config';
import { formatLoss, formatPck, formatRate } from './format';
import { historyLog, type HistoryCut } from './history-log';

export interface SeriesPoint {
  epoch: number;
  iteration: number;
  loss: number;
  pck: number | null;
}

/** Latest validation predictions on a few val images, when the worker sends them. */
export type ValidationSample = Extract<RunEvent, { type: 'validation' }>['samples'][number];

export interface LogLine {
  at: number;
  kind: RunEvent['type'] | 'note';
  text: string;
}

/** The latest progress event, as the worker sent it. */
export type RunProgress = Omit<Extract<RunEvent, { type: 'progress' }>, 'type'>;

export interface RunState {
  runId: string;
  status: RunStatus;
  backend: string | null;
  /** Training loss per iteration. */
  train: SeriesPoint[];
  /** Validation loss and PCK per validation. */
  val: SeriesPoint[];
  progress: RunProgress | null;
  /** Progress events seen live (not from the stored history). */
  liveUpdates: number;
  samples: ValidationSample[];
  log: LogLine[];
  error: string | null;
  /** The run's stage plan: the log names epochs as the progress line does ('stage 2/3 (person) · epoch 3/4'). */
  plan?: StagePlan | null;
}

type StagePlan = ReturnType<typeof stagePlan>;

const LOG_LIMIT = 500;

/** `cut`: what live events seen this session will log themselves (see historyLog). */
export function runStateFromHistory(run: RunSummary, metrics: readonly MetricRow[], cut?: HistoryCut): RunState {
  return {
    runId: run.id,
    status: run.status,
    backend: run.backend,
    train: mergeSeries(
      [],
      metrics.filter((m) => m.split === 'train'),
    ),
    val: mergeSeries(
      [],
      metrics.filter((m) => m.split === 'val'),
    ),
    progress: null,
    liveUpdates: 0,
    samples: [],
    log: historyLog(run, metrics, cut).slice(-LOG_LIMIT),
    error: run.error,
    plan: stagePlan(run.config),
  };
}

/** The run's summary changed (runs.list after an end): status and backend follow it. */
export function withSummary(state: RunState, run: RunSummary): RunState {
  return { ...state, status: run.status, backend: run.backend ?? state.backend, error: run.error };
}

/**
 * Folds one event in. `replayed` events were received while the history was being fetched, so
 * the history may already hold their points: those are merged, never allowed to cut the curve.
 */
export function applyRunEvent(state: RunState, event: RunEvent, at: number, replayed = false): RunState {
  const add = (series: readonly SeriesPoint[], point: SeriesPoint) =>
    replayed ? mergeSeries(series, [point]) : appendPoint(series, point);
  const line = describeEvent(event, state.plan);
  const log = line ? [...state.log, { at, kind: event.type, text: line }].slice(-LOG_LIMIT) : state.log;
  const next = { ...state, log };
  switch (event.type) {
    case 'started':
      return { ...next, status: 'running', backend: event.backend, error: null };
    case 'progress':
      return {
        ...next,
        progress: withoutType(event),
        liveUpdates: state.liveUpdates + 1,
        train: add(state.train, { epoch: event.epoch, iteration: event.iteration, loss: event.loss, pck: null }),
      };
    case 'validation':
      return {
        ...next,
        val: add(state.val, { epoch: event.epoch, iteration: event.iteration, loss: event.loss, pck: event.pck }),
        samples: event.samples,
      };
    case 'finished':
      return {
        ...next,
        status: 'finished',
        progress: state.progress && {
          ...state.progress,
          epoch: event.epoch,
          iteration: event.iteration,
          etaSeconds: 0,
        },
        // The worker's history holds per-epoch means for training; only its validations join the curves.
        val: mergeSeries(
          state.val,
          event.history.filter((m) => m.split === 'val'),
        ),
      };
    case 'failed':
      return { ...next, status: 'failed', error: event.error };
    case 'stopped':
      // Progress events are throttled: the stop's own iteration is the one to show. Its epoch
      // counts epochs completed, the progress line's the epoch the run is in: the run stopped in
      // the progress line's epoch, so that one counter stays (it said 'epoch 4/4', then 'epoch 3/4').
      return {
        ...next,
        status: 'stopped',
        progress: state.progress && {
          ...state.progress,
          epoch: Math.max(state.progress.epoch, event.epoch),
          iteration: event.iteration,
          etaSeconds: null,
        },
      };
    case 'epoch':
    case 'checkpoint':
      return next;
  }
}

/** A note of the dashboard's own (reattached, stop asked) in the run's log. */
export function withNote(state: RunState, text: string, at: number): RunState {
  return { ...state, log: [...state.log, { at, kind: 'note' as const, text }].slice(-LOG_LIMIT) };
}

/**
 * A live point: anything at or after its iteration is replaced. That drops duplicates seen
 * both in the history and live, and rewinds the curve when a run resumes from an older checkpoint.
 */
export function appendPoint(series: readonly SeriesPoint[], point: SeriesPoint): SeriesPoint[] {
  let keep = series.length;
  while (keep > 0 && series[keep - 1].iteration >= point.iteration) keep -= 1;
  return [...series.slice(0, keep), point];
}

/** Stored points merged in bulk, one per iteration (the later source wins), in order. */
export function mergeSeries(
  series: readonly SeriesPoint[],
  points: readonly (MetricRow | SeriesPoint)[],
): SeriesPoint[] {
  const byIteration = new Map<number, SeriesPoint>();
  for (const p of series) byIteration.set(p.iteration, p);
  for (const p of points)
    byIteration.set(p.iteration, { epoch: p.epoch, iteration: p.iteration, loss: p.loss, pck: p.pck });
  return [...byIteration.values()].sort((a, b) => a.iteration - b.iteration);
}

/** One log line per event; progress is shown by the bar and the chart, not logged. */
export function describeEvent(event: RunEvent, plan: StagePlan | null = null): string | null {
  // One counter: with the plan, epochs read as the progress line's ('stage 2/3 (person) · epoch 3/4'), not the run-wide 7.
  const epoch = (n: number) => (plan ? epochLabel(plan, n) : `epoch ${n}`);
  switch (event.type) {
    case 'started': {
      const notUsed = event.backendNotes.filter((n) => !n.ok).map((n) => `${n.name}: ${n.reason ?? 'not used'}`);
      return [
        `${event.resumedFrom ? `Resumed from ${event.resumedFrom}` : 'Started'} on ${event.backend}: ${event.model}, ${event.params.toLocaleString('en')} parameters, ${event.trainSize} train / ${event.valSize} val examples.`,
        ...(event.stepEngine ? [`Training step: ${event.stepEngine}.`] : []),
        ...(notUsed.length ? [`Other backends: ${notUsed.join('; ')}.`] : []),
        ...event.skipped.map((s) => `Skipped checkpoint ${s}.`),
      ].join(' ');
    }
    case 'progress':
      return null;
    case 'epoch':
      return `${capital(epoch(event.epoch))} done at iteration ${event.iteration}: mean loss ${formatLoss(event.loss)}, ${formatRate(event.imagesPerSecond)}.`;
    case 'validation':
      return `Validation after ${epoch(event.epoch)}: loss ${formatLoss(event.loss)}, PCK ${formatPck(event.pck)}.`;
    case 'checkpoint':
      return `Checkpoint at ${epoch(event.epoch)}, iteration ${event.iteration}: ${event.path}`;
    case 'finished':
      return `Finished at ${epoch(event.epoch)}, iteration ${event.iteration}. Model saved in ${event.modelDir}.`;
    case 'failed':
      return `Failed: ${event.error}`;
    case 'stopped':
      return `Stopped at iteration ${event.iteration}${event.epoch > 0 ? `, after ${epoch(event.epoch)}` : ', in the first epoch'}${event.checkpoint ? `; checkpoint ${event.checkpoint}` : ' without a checkpoint'}.`;
  }
}

/** Share of the whole run done, 0..1, every cascade stage included. */
export function runFraction(progress: RunProgress | null): number | null {
  if (!progress || progress.totalIterations <= 0) return null;
  return Math.min(1, progress.iteration / progress.totalIterations);
}

/** The best validation PCK of each cascade stage, stage 1 first (null where none was measured). */
export function bestPckPerStage(state: RunState, config: Record<string, unknown>): (number | null)[] {
  const plan = stagePlan(config);
  const best: (number | null)[] = Array.from({ length: plan.stages }, () => null);
  for (const p of state.val) {
    if (p.pck == null) continue;
    const { stage } = stageOfEpoch(plan, p.epoch);
    if (best[stage - 1] == null || p.pck > best[stage - 1]!) best[stage - 1] = p.pck;
  }
  return best;
}

/** A stored run's config read as a stage plan (older runs have one stage). */
export function stagePlan(config: Record<string, unknown>): {
  epochs: number;
  stages: number;
  refineEpochs?: number;
  personStage?: boolean;
} {
  return {
    personStage: typeof config.personStage === 'boolean' ? config.personStage : undefined,
    epochs: typeof config.epochs === 'number' ? config.epochs : 1,
    stages: typeof config.stages === 'number' ? config.stages : 1,
    refineEpochs: typeof config.refineEpochs === 'number' ? config.refineEpochs : undefined,
  };
}

export function bestValidationPck(state: RunState): number | null {
  let best: number | null = null;
  for (const p of state.val) if (p.pck != null && (best == null || p.pck > best)) best = p.pck;
  return best;
}

function withoutType<E extends { type: string }>(event: E): Omit<E, 'type'> {
  const { type: _type, ...rest } = event;
  return rest;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
