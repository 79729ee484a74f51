// The host side of prediction: resolves the model and the images, runs the worker as a task,
// stores what it predicts in the catalog as it comes (so the grid fills while the job runs),
// and serves the sets back with errors, metrics, acceptance and exports.
import { basename, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import type {
  ModelChoice,
  Prediction,
  PredictionMetrics,
  PredictionSet,
  PredictionSort,
  PredictionSource,
} from '../../../src-shared/api/predictions.contract';
import type { z } from 'zod';
import type { Catalog } from '../catalog/open-catalog';
import { allowProjectFolders, getProjectCatalogs } from '../catalog/project-catalogs';
import { readProject } from '../catalog/project-info';
import {
  acceptPrediction,
  addPredictions,
  createPredictionSet,
  listPredictions,
  recordPredictionTiming,
  type PredictionRow,
} from '../catalog/predictions';
import { importDataset } from '../datasets/import-dataset';
import { instancesOfImage } from '../catalog/instances';
import { instanceToReplace } from './accept-target';
import { probeImage } from '../media/ingest';
import type { StudioContext } from '../studio-context';
import { perStudio } from '../per-studio';
import type { TaskContext } from '../tasks/task-manager';
import { itemsForPaths, itemsOfSplit, listInputImages, type SourceItem } from './image-sources';
import { modelFromPath, modelOfRun, type ModelLocation } from './model-location';
import { startPredictionWorker, type PredictionHandle } from './prediction-host';
import { runExportTask } from '../tasks/export-task';
import { writePredictions, type PredictionFormat } from './prediction-exports';
import { checkWriteTarget, writeRoots } from '../files/path-policy';
import { requireReadable } from '../files/read-access';
import { admitItems, type SkippedImage } from './admit-items';
import { labelsOfSet, reviewPrediction, setMetrics } from './prediction-review';
import { viewOf } from '../metrics/mean-pose-baseline';
import type { Box } from '../../../src-shared/domain/image';
import { orderPredictions, type AppliedSort } from './prediction-order';
import type { DenseWeights } from '../../../src-shared/training/protocol';

const FLUSH_ROWS = 32;
const FLUSH_MS = 500;

export class PredictionService {
  private readonly jobs = new Set<PredictionHandle>();

  constructor(private readonly ctx: StudioContext) {
    // Closing the studio stops its jobs first, so none writes to a closed catalog.
    ctx.onClose(async () => {
      for (const job of this.jobs) job.stop();
      await Promise.all([...this.jobs].map((job) => job.done));
    });
  }

  /** `flipCheck`: predict each mirror image too, for the flip disagreement (about twice the inference time); `denseWeights`: PredictRequest's. */
  async start(
    project: string,
    model: z.output<typeof ModelChoice>,
    source: z.output<typeof PredictionSource>,
    options: { flipCheck?: boolean; denseWeights?: DenseWeights } = {},
  ): Promise<{ taskId: string; setId: number }> {
    const { flipCheck = true, denseWeights = 'float32' } = options;
    const catalog = this.catalog(project);
    const location =
      'runId' in model ? modelOfRun(catalog, model.runId, model.checkpoint) : modelFromPath(model.modelFolder, catalog);
    let items: SourceItem[];
    let label: string;
    let checkPath: ((path: string) => Promise<unknown>) | undefined;
    if ('folder' in source) {
      const folder = resolve(source.folder);
      // Every image a folder or a list names is checked as if the caller had named it; only
      // those files (never their folders) become viewable, so a list cannot widen the roots.
      const paths: string[] = [];
      for (const listed of await listInputImages(folder))
        paths.push(await requireReadable(this.ctx, `image listed by ${folder}`, listed));
      this.ctx.roots.addFiles(paths);
      items = itemsForPaths(catalog, paths);
      label = folder;
    } else {
      // The catalog's rows name these paths: each is checked like a named path before it is read.
      items = itemsOfSplit(catalog, source.split);
      checkPath = (path) => requireReadable(this.ctx, 'image', path);
      if (items.length === 0)
        throw new StudioError('bad-input', `${catalog.dir}: the ${source.split} split has no images`);
      label = `split ${source.split}`;
    }
    const set = createPredictionSet(catalog, {
      runId: location.runId,
      modelPath: location.modelDir,
      source: label,
      denseWeights,
    });
    const { task } = this.ctx.tasks.start('prediction', `Predict ${basename(label)}`, async (taskCtx) => {
      taskCtx.progress(0, items.length, 'checking the images');
      const { admitted, skipped } = await admitItems(items, checkPath);
      taskCtx.throwIfCancelled();
      return this.run(catalog, set.id, location, admitted, skipped, { flipCheck, denseWeights }, taskCtx);
    });
    return { taskId: task.id, setId: set.id };
  }

  private async run(
    catalog: Catalog,
    setId: number,
    location: ModelLocation,
    items: SourceItem[],
    skipped: SkippedImage[],
    options: { flipCheck: boolean; denseWeights: DenseWeights },
    taskCtx: TaskContext,
  ) {
    const { skeleton } = readProject(catalog);
    const jointCount = skeleton.joints.length;
    // The model's own left/right pairs when its training config is known, else the project's.
    const flipPairs = location.flipPairs ?? skeleton.flipPairs;
    let pending: PredictionRow[] = [];
    let lastFlush = Date.now();
    const flush = () => {
      if (pending.length) addPredictions(catalog, setId, pending);
      pending = [];
      lastFlush = Date.now();
    };
    let mismatch: string | null = null;
    taskCtx.progress(0, items.length, 'loading the model');
    const handle = startPredictionWorker(
      this.ctx.launchWorker,
      {
        modelDir: location.modelDir,
        items: items.map(({ imagePath, box }) => ({ imagePath, box })),
        backend: location.backend,
        cropScale: location.cropScale,
        flipCheck: options.flipCheck ? { flipPairs } : null,
        denseWeights: options.denseWeights,
      },
      (event) => {
        switch (event.type) {
          case 'prediction': {
            const item = items[event.index];
            if (event.joints.length !== jointCount) {
              mismatch ??= `${location.modelDir} predicts ${event.joints.length} joints, the project's skeleton has ${jointCount}`;
              handle.stop();
              return;
            }
            pending.push({
              imagePath: item.imagePath,
              imageId: item.imageId,
              joints: event.joints.map(([x, y]) => [x, y, 1]),
              width: event.width,
              height: event.height,
              confidence: event.confidence,
            });
            if (pending.length >= FLUSH_ROWS || Date.now() - lastFlush >= FLUSH_MS) flush();
            break;
          }
          case 'predict-skipped':
            skipped.push({ imagePath: items[event.index].imagePath, reason: event.reason });
            break;
          case 'predict-progress':
            flush();
            taskCtx.progress(
              event.done,
              event.total,
              `${event.done}/${event.total} images · ${event.imagesPerSecond.toFixed(1)} img/s on ${event.backend}`,
            );
            break;
          case 'predict-finished':
            recordPredictionTiming(catalog, setId, event, event.msPerImage);
            break;
          default:
            break;
        }
      },
    );
    this.jobs.add(handle);
    taskCtx.signal.addEventListener('abort', () => handle.stop(), { once: true });
    if (taskCtx.signal.aborted) handle.stop();
    try {
      const end = await handle.done;
      flush();
      if (mismatch) throw new StudioError('conflict', mismatch);
      if (end.type === 'failed') throw new StudioError('internal', end.error);
      return { setId, predicted: end.predicted, skipped, backend: end.backend, msPerImage: end.msPerImage };
    } finally {
      flush();
      this.jobs.delete(handle);
    }
  }

  sets(project: string): PredictionSet[] {
    const catalog = this.catalog(project);
    const rows = catalog.db
      .prepare(
        `SELECT s.id, s.run_id, s.model_path, s.source, s.created_at, s.ms_mean, s.ms_std, s.dense_weights, (SELECT COUNT(*) FROM predictions p WHERE p.set_id = s.id) AS count
         FROM prediction_sets s ORDER BY s.created_at DESC, s.id DESC`,
      )
      .all() as Array<{
      id: number;
      run_id: string | null;
      model_path: string;
      source: string;
      created_at: number;
      ms_mean: number | null;
      ms_std: number | null;
      dense_weights: DenseWeights;
      count: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      runId: r.run_id,
      modelPath: r.model_path,
      source: r.source,
      createdAt: r.created_at,
      count: r.count,
      msPerImage: r.ms_mean === null ? null : { mean: r.ms_mean, std: r.ms_std ?? 0 },
      denseWeights: r.dense_weights,
    }));
  }

  list(
    project: string,
    setId: number,
    sort: PredictionSort,
    offset: number,
    limit: number,
  ): { total: number; items: Prediction[]; sort: AppliedSort } {
    const items = this.review(this.catalog(project), setId);
    const applied = orderPredictions(items, sort);
    return { total: items.length, items: items.slice(offset, offset + limit), sort: applied };
  }

  metrics(project: string, setId: number): PredictionMetrics | null {
    const catalog = this.catalog(project);
    const pairs = this.reviewed(catalog, setId).flatMap(({ prediction: p, box }) =>
      p.truth ? [{ joints: p.joints, truth: p.truth, view: viewOf({ box, width: p.width, height: p.height }) }] : [],
    );
    return setMetrics(catalog, readProject(catalog).skeleton, pairs);
  }

  /**
   * Makes the prediction its image's label (source 'model', the set's run), replacing the person
   * it matches; accepting twice gives the same instance.
   */
  async accept(project: string, predictionId: number): Promise<{ imageId: number; instanceId: number }> {
    const catalog = this.catalog(project);
    const row = catalog.db
      .prepare('SELECT set_id, image_path, image_id FROM predictions WHERE id = ?')
      .get(predictionId) as { set_id: number; image_path: string; image_id: number | null } | undefined;
    if (!row) throw new StudioError('not-found', `no prediction with id ${predictionId} in ${catalog.dir}`);
    const imageId = row.image_id ?? (await this.ingest(catalog, row.image_path));
    const prediction = listPredictions(catalog, row.set_id).find((p) => p.id === predictionId);
    const joints = (prediction?.joints ?? []).map(([x, y]): [number, number] => [x, y]);
    const { acceptedInstanceId } = reviewPrediction(joints, labelsOfSet(catalog, row.set_id).get(imageId) ?? []);
    if (acceptedInstanceId !== null) return { imageId, instanceId: acceptedInstanceId };
    const target = instanceToReplace(instancesOfImage(catalog, imageId), joints);
    return { imageId, instanceId: acceptPrediction(catalog, { predictionId, instanceId: target ?? undefined }).id };
  }

  async export(
    project: string,
    setId: number,
    format: PredictionFormat,
    path: string,
    overwrite = false,
  ): Promise<{ path: string; count: number }> {
    const catalog = this.catalog(project);
    // The output rule every writer shares: no system tree, no project bookkeeping, no existing file without overwrite.
    const target = await checkWriteTarget(path, { overwrite, roots: writeRoots(this.ctx) });
    this.requireSet(catalog, setId);
    const rows = listPredictions(catalog, setId).map((p) => ({
      imagePath: p.imagePath,
      imageId: p.imageId,
      joints: p.joints.map(([x, y]): [number, number] => [x, y]),
      confidence: p.confidence,
    }));
    return runExportTask(this.ctx, target, `predictions ${format}`, () => writePredictions(rows, format, target));
  }

  /** Adds an image from outside the project to the catalog and links every prediction of it. */
  private async ingest(catalog: Catalog, imagePath: string): Promise<number> {
    // The path comes from the catalog's row: checked as if the caller had named it.
    await requireReadable(this.ctx, 'predicted image', imagePath);
    await importDataset(catalog, { format: 'folder', path: imagePath });
    const { sha256 } = await probeImage(imagePath);
    const image = catalog.db.prepare('SELECT id FROM images WHERE sha256 = ?').get(sha256) as
      { id: number } | undefined;
    if (!image) throw new StudioError('internal', `${imagePath}: imported but not found in the catalog`);
    catalog.db
      .prepare('UPDATE predictions SET image_id = ? WHERE image_path = ? AND image_id IS NULL')
      .run(image.id, imagePath);
    allowProjectFolders(this.ctx, catalog);
    return image.id;
  }

  /** Every prediction of a set with its label, errors and acceptance. */
  private review(catalog: Catalog, setId: number): Prediction[] {
    return this.reviewed(catalog, setId).map((r) => r.prediction);
  }

  /** The review of each prediction with the box of the person it matched (what its crop was placed by). */
  private reviewed(catalog: Catalog, setId: number): { prediction: Prediction; box: Box | null }[] {
    this.requireSet(catalog, setId);
    const labels = labelsOfSet(catalog, setId);
    const sizeOf = catalog.db.prepare('SELECT width, height FROM images WHERE id = ?');
    return listPredictions(catalog, setId).map((p) => {
      const joints = p.joints.map(([x, y]): [number, number] => [x, y]);
      const review = reviewPrediction(joints, p.imageId === null ? [] : (labels.get(p.imageId) ?? []));
      const known =
        p.imageId === null ? undefined : (sizeOf.get(p.imageId) as { width: number; height: number } | undefined);
      const size = p.width !== null && p.height !== null ? [p.width, p.height] : known && [known.width, known.height];
      const prediction: Prediction = {
        id: p.id,
        imagePath: p.imagePath,
        fileName: basename(p.imagePath),
        imageId: p.imageId,
        width: size?.[0] ?? 0,
        height: size?.[1] ?? 0,
        joints,
        truth: review.truth,
        errorPx: review.errorPx,
        perJointErrorPx: review.perJointErrorPx,
        accepted: review.accepted,
        confidence: p.confidence,
      };
      return { prediction, box: review.box };
    });
  }

  private requireSet(catalog: Catalog, setId: number): void {
    if (!catalog.db.prepare('SELECT 1 FROM prediction_sets WHERE id = ?').get(setId))
      throw new StudioError('not-found', `no prediction set ${setId} in ${catalog.dir}`);
  }

  private catalog(project: string): Catalog {
    return getProjectCatalogs(this.ctx).get(project);
  }
}

/** One prediction service per studio, shared by its handlers. */
export const predictionServiceFor = perStudio((ctx) => new PredictionService(ctx));
