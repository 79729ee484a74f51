// A run's log rebuilt from what the catalog keeps (its metric rows and its status), for a run
// opened after its events went by: a line per epoch's last training point, per validation,
// and for how it ended. Validation lines read as the live ones do.
import type { MetricRow, RunSummary } from '../../../../src-shared/api/training.contract';
import { formatLoss, formatPck, formatRate } from './format';
import type { LogLine } from './run-state';

/** Lines the live events seen this session will say again are left to them. */
export interface HistoryCut {
  /** The first iteration a live event covers: stored rows from there on are left out. */
  fromIteration?: number;
  /** Live events include the start / the end. */
  started?: boolean;
  ended?: boolean;
}

export function historyLog(run: RunSummary, metrics: readonly MetricRow[], cut: HistoryCut = {}): LogLine[] {
  const fallback = run.startedAt ?? run.createdAt;
  const rows = metrics.filter((m) => cut.fromIteration == null || m.iteration < cut.fromIteration);
  const lines: Array<LogLine & { order: number }> = [];
  if (run.startedAt != null && !cut.started) {
    lines.push({
      at: run.startedAt,
      order: -1,
      kind: 'started',
      text: `Started on ${run.backend ?? 'an unknown backend'} (log rebuilt from the stored run).`,
    });
  }
  if (run.splitNote && run.startedAt != null && !cut.started)
    lines.push({
      at: run.startedAt,
      order: -0.5,
      kind: 'started',
      text: `${run.splitNote[0].toUpperCase()}${run.splitNote.slice(1)}.`,
    });
  // Training rows are throttled progress points: the last one of each epoch stands for it.
  const lastOfEpoch = new Map<number, MetricRow>();
  for (const m of rows) if (m.split === 'train') lastOfEpoch.set(m.epoch, m);
  for (const m of lastOfEpoch.values()) {
    const rate = m.imagesPerSecond == null ? '' : `, ${formatRate(m.imagesPerSecond)}`;
    lines.push({
      at: m.at ?? fallback,
      order: m.iteration,
      kind: 'epoch',
      text: `Epoch ${m.epoch} reached iteration ${m.iteration}: loss ${formatLoss(m.loss)}${rate}.`,
    });
  }
  for (const m of rows) {
    if (m.split !== 'val') continue;
    lines.push({
      at: m.at ?? fallback,
      order: m.iteration + 0.5,
      kind: 'validation',
      text: `Validation after epoch ${m.epoch}: loss ${formatLoss(m.loss)}, PCK ${formatPck(m.pck)}.`,
    });
  }
  const end = endLine(run, metrics);
  if (end && !cut.ended) lines.push({ ...end, order: Infinity });
  return lines.sort((a, b) => a.order - b.order).map(({ at, kind, text }) => ({ at, kind, text }));
}

function endLine(run: RunSummary, metrics: readonly MetricRow[]): LogLine | null {
  const at = run.endedAt ?? metrics.at(-1)?.at ?? run.createdAt;
  const last = metrics.at(-1);
  const where = last ? ` at epoch ${last.epoch}, iteration ${last.iteration}` : '';
  switch (run.status) {
    case 'finished':
      return { at, kind: 'finished', text: `Finished${where}.` };
    case 'stopped':
      return { at, kind: 'stopped', text: `Stopped${where}.` };
    case 'failed':
      return { at, kind: 'failed', text: `Failed: ${run.error ?? 'no reason stored'}` };
    default:
      return null;
  }
}
