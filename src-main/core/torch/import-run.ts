// `deeppose runs import DIR`: a run bundle trained elsewhere (on a cluster, by torchrun) back
// in the project's catalog: a finished run with the bundle's settings, its curves from the
// engine's events.jsonl, and its model folder made from the final weights, so the run is
// listed, charted and predicted with like any other.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { trainingConfigSchema } from '../../../src-shared/training/config';
import type { Catalog } from '../catalog/open-catalog';
import { addMetrics, createRun, deleteRun, updateRun, type Run } from '../catalog/runs';
import type { MetricRow } from '../../../src-shared/api/training.contract';
import { BUNDLE_FORMAT, BUNDLE_MANIFEST, type BundleManifest } from './run-bundle';
import { parseTorchLine, type TorchEvent } from './torch-events';
import type { SaveTorchModel } from './save-model-job';

type Row = MetricRow;

/** The bundle's settings and its trained output (OUT defaults to DIR/out, where the launch lines put it). */
function readTrainedBundle(
  dir: string,
  outDir: string,
): { manifest: BundleManifest; events: TorchEvent[]; weights: string } {
  const manifestPath = join(dir, BUNDLE_MANIFEST);
  if (!existsSync(manifestPath)) throw new StudioError('bad-input', `${dir}: not a run bundle (no ${BUNDLE_MANIFEST})`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
  if (manifest.format !== BUNDLE_FORMAT)
    throw new StudioError(
      'bad-input',
      `${manifestPath}: format '${String(manifest.format)}', expected '${BUNDLE_FORMAT}'`,
    );
  const log = join(outDir, 'events.jsonl');
  if (!existsSync(log))
    throw new StudioError(
      'bad-input',
      `${outDir}: no events.jsonl: the bundle has not been trained there (or --out went elsewhere)`,
    );
  const events = readFileSync(log, 'utf8')
    .split('\n')
    .map(parseTorchLine)
    .filter((e): e is TorchEvent => e !== null);
  const finished = events.findLast((e) => e.type === 'finished');
  if (!finished || finished.type !== 'finished')
    throw new StudioError(
      'bad-input',
      `${log}: the run has not finished (no 'finished' event); train it to the end or resume it first`,
    );
  const weights = resolve(outDir, 'torch-final');
  if (!existsSync(join(weights, 'weights.bin')))
    throw new StudioError('bad-input', `${weights}: the final weights are missing`);
  return { manifest, events, weights };
}

/** Metric rows from the events: the last row per (split, iteration), so a resumed run's repeated steps count once. */
function metricRows(events: TorchEvent[], at: number): Row[] {
  const rows = new Map<string, Row>();
  for (const e of events) {
    if (e.type === 'progress')
      rows.set(`train ${e.iteration}`, {
        epoch: e.epoch,
        iteration: e.iteration,
        split: 'train',
        loss: e.loss,
        pck: null,
        imagesPerSecond: e.imagesPerSecond,
        at,
      });
    if (e.type === 'validation')
      rows.set(`val ${e.iteration}`, {
        epoch: e.epoch,
        iteration: e.iteration,
        split: 'val',
        loss: e.loss,
        pck: e.pck,
        imagesPerSecond: null,
        at,
      });
  }
  return [...rows.values()].sort((a, b) => a.iteration - b.iteration);
}

export async function importTorchRun(
  catalog: Catalog,
  dir: string,
  saveModel: SaveTorchModel,
  outDir = join(dir, 'out'),
): Promise<Run> {
  const { manifest, events, weights } = readTrainedBundle(resolve(dir), resolve(outDir));
  const config = trainingConfigSchema.parse(manifest.config);
  const started = events.find((e) => e.type === 'started');
  const run = createRun(catalog, {
    name: `${config.model} · ${config.optimizer} · lr ${config.lr} · PyTorch (imported)`,
    config,
    backend: 'torch',
  });
  try {
    await saveModel({ weightsFolder: weights, modelDir: join(run.dir, 'model'), config });
    const now = Date.now();
    const rows = metricRows(events, now);
    addMetrics(catalog, run.id, rows);
    const pcks = rows.filter((r) => r.pck !== null).map((r) => r.pck!);
    return updateRun(catalog, run.id, {
      status: 'finished',
      startedAt: now,
      endedAt: now,
      bestValPck: pcks.length ? Math.max(...pcks) : null,
      error: null,
      durationSeconds: null,
      ...(started && started.type === 'started'
        ? { name: `${config.model} · ${config.optimizer} · lr ${config.lr} · PyTorch on ${started.device} (imported)` }
        : {}),
    });
  } catch (error) {
    rmSync(run.dir, { recursive: true, force: true });
    deleteRun(catalog, run.id);
    throw error;
  }
}
