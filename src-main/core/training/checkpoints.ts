// Checkpoints: one folder each (model, optimizer state, progress) built under a temporary
// name, fsynced, renamed into place; its manifest lists every file's size and sha256 so a
// truncated or corrupt checkpoint is recognised and skipped.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir, writeAndSync, writePartsAndSync } from '../files/durable-write';
import { loadModel, modelFileParts, MODEL_FILE, WEIGHTS_FILE } from './models/model-files';
import { optimizerState, restoreOptimizerState, type TensorSpec } from './optimizer';
import {
  checkpointsDir,
  readProgress,
  MANIFEST,
  type CheckpointManifest,
  type Progress,
} from '../pose/checkpoint-folder';

export async function writeCheckpoint(
  runDir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  progress: Progress,
): Promise<string> {
  const root = checkpointsDir(runDir);
  mkdirSync(root, { recursive: true });
  const name = `epoch-${String(progress.epoch).padStart(4, '0')}-batch-${String(progress.batch).padStart(5, '0')}-iter-${String(progress.iteration).padStart(8, '0')}`;
  const finalDir = join(root, name);
  const tempDir = join(root, `.partial-${name}-${process.pid}`);
  rmSync(tempDir, { recursive: true, force: true });
  mkdirSync(tempDir);
  // Each file is hashed as it is written, from the tensors' own storage: no joined copy of the
  // weights or the optimizer state, no read-back (peak memory is the run's, not the save's).
  const files: CheckpointManifest['files'] = {};
  const write = (name: string, parts: Iterable<Uint8Array | string>) =>
    (files[name] = writePartsAndSync(join(tempDir, name), parts));
  mkdirSync(join(tempDir, 'model'));
  const modelFiles = modelFileParts(model);
  write(`model/${WEIGHTS_FILE}`, modelFiles.weights);
  write(`model/${MODEL_FILE}`, [modelFiles.json]);
  syncDir(join(tempDir, 'model'));
  const state = await optimizerState(optimizer);
  write('optimizer.bin', state.parts);
  write('optimizer.json', [JSON.stringify({ className: optimizer.getClassName(), tensors: state.specs })]);
  write('progress.json', [JSON.stringify(progress)]);
  const manifest: CheckpointManifest = {
    format: 'deeppose-checkpoint-v1',
    epoch: progress.epoch,
    batch: progress.batch,
    iteration: progress.iteration,
    files,
  };
  writeAndSync(join(tempDir, MANIFEST), JSON.stringify(manifest, null, 1));
  syncDir(tempDir);
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(tempDir, finalDir);
  syncDir(root);
  return finalDir;
}

/** Which checkpoints a run keeps: the newest `keep` (0 keeps all), and with `keepBest` the best-validated one too. */
export interface RetentionPolicy {
  keep: number;
  keepBest: boolean;
}

/** Removes the checkpoints the policy does not keep; names sort by progress. */
export function pruneCheckpoints(runDir: string, policy: RetentionPolicy): string[] {
  if (policy.keep <= 0) return [];
  const root = checkpointsDir(runDir);
  const names = readdirSync(root)
    .filter((name) => !name.startsWith('.'))
    .sort();
  const best = policy.keepBest ? bestValidated(root, names) : null;
  const removed = names
    .slice(0, Math.max(0, names.length - policy.keep))
    .filter((name) => name !== best)
    .map((name) => join(root, name));
  for (const dir of removed) rmSync(dir, { recursive: true, force: true });
  return removed;
}

/**
 * The checkpoint whose state scored the highest validation PCK (measured at its own
 * iteration, as its progress records it); the newer wins a tie. Null when none was validated.
 */
function bestValidated(root: string, names: string[]): string | null {
  let best: { name: string; pck: number } | null = null;
  for (const name of names) {
    let pck: number | null;
    try {
      const progress = readProgress(join(root, name));
      pck =
        progress.history.find((p) => p.split === 'val' && p.iteration === progress.iteration && p.pck !== null)?.pck ??
        null;
    } catch {
      continue; // a damaged checkpoint is never the one to keep
    }
    if (pck !== null && (best === null || pck >= best.pck)) best = { name, pck };
  }
  return best?.name ?? null;
}

export async function loadCheckpointModel(dir: string): Promise<tf.LayersModel> {
  return loadModel(join(dir, 'model'));
}

export async function loadCheckpointOptimizer(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const { className, tensors } = JSON.parse(readFileSync(join(dir, 'optimizer.json'), 'utf8')) as {
    className: string;
    tensors: TensorSpec[];
  };
  if (className !== optimizer.getClassName())
    throw new Error(`checkpoint ${dir} holds ${className} state, the run uses ${optimizer.getClassName()}`);
  await restoreOptimizerState(optimizer, tensors, readFileSync(join(dir, 'optimizer.bin')));
}
