// Training runs and their metric rows. A run's files (checkpoints, model) live in
// <project>/runs/<id>; the catalog holds its config, status, timings and curves.
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isInside } from '../files/allowed-roots';
import { StudioError } from '../../../src-shared/api/define';
import type { Catalog } from './open-catalog';
import type { MetricRow, RunStatus } from '../../../src-shared/api/training.contract';
import { PoseReport } from '../../../src-shared/training/pose-report';
import { METRIC_CONVENTION } from '../metrics/pose-report';

export interface Run {
  id: string;
  name: string;
  config: unknown;
  backend: string | null;
  status: RunStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  bestValPck: number | null;
  /** PCK of the run's last validation (the final model is the last epoch's, not the best). */
  lastValPck: number | null;
  durationSeconds: number | null;
  /** Validation PCK of the mean-pose baseline on the data the run was launched with; null for older runs. */
  baselineValPck: number | null;
  /** PCP@0.5 of the last validation, and of the mean-pose baseline; null for older runs. */
  valPcp: number | null;
  baselineValPcp: number | null;
  /** The last validation's figures per stage and joint, with the baseline's (PoseReport). */
  valReport: PoseReport | null;
  /** Set when the run held out a default validation split: what it did. */
  splitNote: string | null;
  /** The metric definitions its figures use ('lsp'); 'rshoulder-lhip-le' for runs from before. */
  metricConvention: string | null;
  dir: string;
}

interface RunRow {
  id: string;
  name: string;
  config: string;
  backend: string | null;
  status: RunStatus;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
  best_val_pck: number | null;
  duration_seconds: number | null;
  baseline_val_pck: number | null;
  val_pcp: number | null;
  baseline_val_pcp: number | null;
  val_report: string | null;
  split_note: string | null;
  metric_convention: string | null;
  dir: string;
}

function lastValPck(catalog: Catalog, runId: string): number | null {
  const row = catalog.db
    .prepare(
      "SELECT pck FROM metrics WHERE run_id = ? AND split = 'val' AND pck IS NOT NULL ORDER BY iteration DESC, id DESC LIMIT 1",
    )
    .get(runId) as { pck: number } | undefined;
  return row?.pck ?? null;
}

function toRun(catalog: Catalog, row: RunRow): Run {
  return {
    id: row.id,
    name: row.name,
    config: JSON.parse(row.config),
    backend: row.backend,
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    bestValPck: row.best_val_pck,
    lastValPck: lastValPck(catalog, row.id),
    durationSeconds: row.duration_seconds,
    baselineValPck: row.baseline_val_pck,
    valPcp: row.val_pcp,
    baselineValPcp: row.baseline_val_pcp,
    valReport: parseReport(row.val_report),
    splitNote: row.split_note,
    metricConvention: row.metric_convention,
    dir: join(catalog.dir, row.dir),
  };
}

/** A stored report that no longer parses (hand-edited) reads as none rather than failing the run list. */
function parseReport(text: string | null): PoseReport | null {
  if (text === null) return null;
  try {
    return PoseReport.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

export function createRun(
  catalog: Catalog,
  input: { name: string; config: unknown; backend?: string | null; id?: string },
): Run {
  const id = input.id ?? randomUUID();
  catalog.db
    .prepare(
      "INSERT INTO runs (id, name, config, backend, status, created_at, dir, metric_convention) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)",
    )
    .run(
      id,
      input.name,
      JSON.stringify(input.config ?? null),
      input.backend ?? null,
      Date.now(),
      join('runs', id),
      METRIC_CONVENTION,
    );
  return getRun(catalog, id);
}

export function getRun(catalog: Catalog, id: string): Run {
  const row = catalog.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!row) throw new StudioError('not-found', `no run '${id}' in ${catalog.dir}`);
  return toRun(catalog, row);
}

export function listRuns(catalog: Catalog): Run[] {
  return (catalog.db.prepare('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC').all() as RunRow[]).map((row) =>
    toRun(catalog, row),
  );
}

const RUN_COLUMNS: Record<string, string> = {
  name: 'name',
  config: 'config',
  backend: 'backend',
  status: 'status',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  error: 'error',
  bestValPck: 'best_val_pck',
  durationSeconds: 'duration_seconds',
  baselineValPck: 'baseline_val_pck',
  valPcp: 'val_pcp',
  baselineValPcp: 'baseline_val_pcp',
  valReport: 'val_report',
  splitNote: 'split_note',
  metricConvention: 'metric_convention',
};

export function updateRun(
  catalog: Catalog,
  id: string,
  patch: Partial<Omit<Run, 'id' | 'createdAt' | 'dir' | 'lastValPck'>>,
): Run {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = RUN_COLUMNS[key];
    if (!column || value === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(key === 'config' || (key === 'valReport' && value !== null) ? JSON.stringify(value) : value);
  }
  if (sets.length) {
    const result = catalog.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    if (result.changes === 0) throw new StudioError('not-found', `no run '${id}' in ${catalog.dir}`);
  }
  return getRun(catalog, id);
}

/** Removes the run's rows (metrics cascade; model keypoints keep their values, runId becomes null). */
function realOfNearest(path: string): string {
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...missing.reverse());
    } catch {
      if (dirname(at) === at) return path;
      missing.push(basename(at));
    }
  }
}

/**
 * The run's folder, checked before anything reads, writes or deletes it: the catalog's row names
 * it, and a catalog someone sent you may say `../../somewhere`. It must lie inside the project's
 * runs/ folder (by its real location, so a symlinked run folder cannot lead out either).
 */
export function requireRunFolder(catalog: Catalog, run: Pick<Run, 'dir' | 'name'>): string {
  const runs = join(catalog.dir, 'runs');
  const real = realOfNearest(run.dir);
  const realRuns = realOfNearest(runs);
  if (!isInside(run.dir, runs) || run.dir === runs || !isInside(real, realRuns) || real === realRuns) {
    throw new StudioError(
      'forbidden',
      `run '${run.name}': its folder ${run.dir} lies outside ${runs}; refused (the catalog's run row is damaged or was edited)`,
    );
  }
  return run.dir;
}

export function deleteRun(catalog: Catalog, id: string): void {
  const result = catalog.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  if (result.changes === 0) throw new StudioError('not-found', `no run '${id}' in ${catalog.dir}`);
}

/** One row per (run, split, iteration): a point reported again (after a resume) replaces the old one. */
export function addMetrics(catalog: Catalog, runId: string, rows: MetricRow[]): void {
  const remove = catalog.db.prepare('DELETE FROM metrics WHERE run_id = ? AND iteration = ? AND split = ?');
  const insert = catalog.db.prepare(
    'INSERT INTO metrics (run_id, epoch, iteration, split, loss, pck, images_per_second, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  catalog.db.transaction(() => {
    for (const r of rows) {
      remove.run(runId, r.iteration, r.split);
      insert.run(runId, r.epoch, r.iteration, r.split, r.loss, r.pck, r.imagesPerSecond, r.at);
    }
  })();
}

/** Drops the points after `iteration`: a resume from a checkpoint there reports them again. */
export function deleteMetricsAfter(catalog: Catalog, runId: string, iteration: number): void {
  catalog.db.prepare('DELETE FROM metrics WHERE run_id = ? AND iteration > ?').run(runId, iteration);
}

export function listMetrics(catalog: Catalog, runId: string): MetricRow[] {
  return (
    catalog.db.prepare('SELECT * FROM metrics WHERE run_id = ? ORDER BY iteration, id').all(runId) as Array<{
      epoch: number;
      iteration: number;
      split: 'train' | 'val';
      loss: number;
      pck: number | null;
      images_per_second: number | null;
      at: number;
    }>
  ).map((r) => ({
    epoch: r.epoch,
    iteration: r.iteration,
    split: r.split,
    loss: r.loss,
    pck: r.pck,
    imagesPerSecond: r.images_per_second,
    at: r.at,
  }));
}
