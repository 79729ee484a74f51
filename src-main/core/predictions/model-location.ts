// Which model folder a prediction job loads, and how that model was trained (its crop scale
// and backend choice), from a run of the project or from a path on disk.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { trainingConfigSchema, type BackendName, type TrainingConfig } from '../../../src-shared/training/config';
import type { Catalog } from '../catalog/open-catalog';
import { getRun, requireRunFolder } from '../catalog/runs';
import { findResumePoint, readProgress } from '../pose/checkpoint-folder';

export interface ModelLocation {
  /** Folder holding model.json and its weights. */
  modelDir: string;
  /** The project's run that trained it, when known. */
  runId: string | null;
  cropScale: number;
  backend: BackendName | 'auto';
  /** The left/right joint pairs it was trained with (its skeleton's), null when no training config is beside it. */
  flipPairs: [number, number][] | null;
  /** Joints it regresses, null when no training config is beside it. */
  joints?: number | null;
}

const MODEL_FILE = 'model.json';
const DEFAULT_CROP_SCALE = trainingConfigSchema.shape.cropScale.parse(undefined);

/**
 * A model folder, a checkpoint folder or a run folder: the first holds model.json, the others
 * model/model.json (a run's final model), else a run's newest intact checkpoint is taken.
 */
export function locateModelFolder(path: string): { modelDir: string; config: TrainingConfig | null } {
  const dir = resolve(path);
  if (existsSync(join(dir, MODEL_FILE))) return { modelDir: dir, config: trainingConfigNear(dir) };
  if (existsSync(join(dir, 'model', MODEL_FILE)))
    return { modelDir: join(dir, 'model'), config: trainingConfigNear(join(dir, 'model')) };
  let checkpoint: string;
  try {
    checkpoint = findResumePoint(dir).dir;
  } catch {
    // Not the checker's message: it lists the folder's entries, and the folder may be anyone's.
    throw new StudioError(
      'not-found',
      `${dir}: no TensorFlow.js model here (looked for ${MODEL_FILE}, model/${MODEL_FILE} and intact checkpoints)`,
    );
  }
  return { modelDir: join(checkpoint, 'model'), config: readProgress(checkpoint).config };
}

/** The training config saved beside a checkpoint's or a run's model folder, if any. */
function trainingConfigNear(modelDir: string): TrainingConfig | null {
  const owner = dirname(modelDir);
  try {
    const checkpoint = existsSync(join(owner, 'progress.json')) ? owner : findResumePoint(owner).dir;
    return trainingConfigSchema.parse(readProgress(checkpoint).config);
  } catch {
    return null;
  }
}

export function modelFromPath(path: string, catalog?: Catalog): ModelLocation {
  const { modelDir, config } = locateModelFolder(path);
  return {
    modelDir,
    runId: catalog ? runOwning(catalog, modelDir) : null,
    cropScale: config?.cropScale ?? DEFAULT_CROP_SCALE,
    backend: config?.backend ?? 'auto',
    flipPairs: config?.flipPairs ?? null,
    joints: config?.joints ?? null,
  };
}

/** A run's final model, or the model of its newest intact checkpoint. */
export function modelOfRun(catalog: Catalog, runId: string, checkpoint: 'final' | 'latest'): ModelLocation {
  const run = getRun(catalog, runId);
  requireRunFolder(catalog, run);
  const config = trainingConfigSchema.parse(run.config);
  let modelDir = join(run.dir, 'model');
  if (checkpoint === 'final') {
    if (!existsSync(join(modelDir, MODEL_FILE)))
      throw new StudioError(
        'not-found',
        `run '${run.name}' has no final model in ${modelDir} (status ${run.status}); predict with its latest checkpoint instead`,
      );
  } else {
    try {
      modelDir = join(findResumePoint(run.dir).dir, 'model');
    } catch (error) {
      throw new StudioError('not-found', `run '${run.name}': ${(error as Error).message}`);
    }
  }
  return {
    modelDir,
    runId,
    cropScale: config.cropScale,
    backend: config.backend,
    flipPairs: config.flipPairs,
    joints: config.joints,
  };
}

/** The id of the project's run whose folder holds `modelDir`, if it is one. */
function runOwning(catalog: Catalog, modelDir: string): string | null {
  const inside = relative(join(catalog.dir, 'runs'), modelDir);
  if (inside === '' || inside.startsWith('..')) return null;
  const id = inside.split(sep)[0];
  try {
    return getRun(catalog, id).id;
  } catch {
    return null;
  }
}
