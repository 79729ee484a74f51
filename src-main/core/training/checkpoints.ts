// Checkpoints: one folder each (model, optimizer state, progress) built under a temporary
// name, fsynced, renamed into place; its manifest lists every file's size and sha256 so a
// truncated or corrupt checkpoint is recognised and skipped.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { MetricPoint } from '../../../src-shared/training/protocol';
import { syncDir, writeAndSync, writePartsAndSync } from '../files/durable-write';
import { loadModel, modelFileParts, MODEL_FILE, WEIGHTS_FILE } from './models/model-files';
import { optimizerState, restoreOptimizerState, type TensorSpec } from './optimizer';

export interface Progress {
  /** Cascade stage being trained (1-based); checkpoints of older versions have none and are stage 1. */
  stage: number;
  /** 0-based epoch (counted across stages) being trained, and the next batch of it (0 at an epoch boundary). */
  epoch: number;
  batch: number;
  /** Optimizer steps taken so far. */
  iteration: number;
  /** Randomness is derived from (seed, purpose, epoch, batch), so the seed and counters are its whole state. */
  rng: { seed: number; scheme: 'counter-v1' };
  history: MetricPoint[];
  config: TrainingConfig;
}

interface Manifest {
  format: 'deeppose-checkpoint-v1';
  epoch: number;
  batch: number;
  iteration: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

const MANIFEST = 'manifest.json';

export function checkpointsDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

export async function writeCheckpoint(runDir: string, model: tf.LayersModel, optimizer: tf.Optimizer, progress: Progress): Promise<string> {
  const root = checkpointsDir(runDir);
  mkdirSync(root, { recursive: true });
  const name = `epoch-${String(progress.epoch).padStart(4, '0')}-batch-${String(progress.batch).padStart(5, '0')}-iter-${String(progress.iteration).padStart(8, '0')}`;
  const finalDir = join(root, name);
  const tempDir = join(root, `.partial-${name}-${process.pid}`);
  rmSync(tempDir, { recursive: true, force: true });
  mkdirSync(tempDir);
  // Each file is hashed as it is written, from the tensors' own storage: no joined copy of the
  // weights or the optimizer state, no read-back (peak memory is the run's, not the save's).
  const files: Manifest['files'] = {};
  const write = (name: string, parts: Iterable<Uint8Array | string>) => (files[name] = writePartsAndSync(join(tempDir, name), parts));
  mkdirSync(join(tempDir, 'model'));
  const modelFiles = modelFileParts(model);
  write(`model/${WEIGHTS_FILE}`, modelFiles.weights);
  write(`model/${MODEL_FILE}`, [modelFiles.json]);
  syncDir(join(tempDir, 'model'));
  const state = await optimizerState(optimizer);
  write('optimizer.bin', state.parts);
  write('optimizer.json', [JSON.stringify({ className: optimizer.getClassName(), tensors: state.specs })]);
  write('progress.json', [JSON.stringify(progress)]);
  const manifest: Manifest = { format: 'deeppose-checkpoint-v1', epoch: progress.epoch, batch: progress.batch, iteration: progress.iteration, files };
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
      pck = progress.history.find((p) => p.split === 'val' && p.iteration === progress.iteration && p.pck !== null)?.pck ?? null;
    } catch {
      continue; // a damaged checkpoint is never the one to keep
    }
    if (pck !== null && (best === null || pck >= best.pck)) best = { name, pck };
  }
  return best?.name ?? null;
}

/** Throws with what is wrong when the folder is not a complete, intact checkpoint. */
export function verifyCheckpoint(dir: string): Manifest {
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) throw new Error(`checkpoint ${dir} has no ${MANIFEST} (incomplete write?)`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw new Error(`checkpoint ${dir}: ${MANIFEST} is unreadable (${(error as Error).message})`, { cause: error });
  }
  if (manifest.format !== 'deeppose-checkpoint-v1') throw new Error(`checkpoint ${dir}: unknown format '${String(manifest.format)}'`);
  for (const [file, expected] of Object.entries(manifest.files)) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`checkpoint ${dir}: ${file} is missing`);
    const data = readFileSync(path);
    if (data.length !== expected.bytes) throw new Error(`checkpoint ${dir}: ${file} has ${data.length} bytes, expected ${expected.bytes} (truncated?)`);
    if (sha256(data) !== expected.sha256) throw new Error(`checkpoint ${dir}: ${file} does not match its checksum (corrupt)`);
  }
  return manifest;
}

/**
 * The checkpoint to resume from: `path` itself when it is a checkpoint folder, else the newest
 * intact one in the run folder `path`. Damaged ones are skipped and reported in `skipped`.
 */
export function findResumePoint(path: string): { dir: string; skipped: string[] } {
  if (existsSync(join(path, MANIFEST))) {
    verifyCheckpoint(path);
    return { dir: path, skipped: [] };
  }
  const root = existsSync(checkpointsDir(path)) ? checkpointsDir(path) : path;
  const candidates = existsSync(root)
    ? readdirSync(root)
        .filter((name) => !name.startsWith('.'))
        .map((name) => join(root, name))
    : [];
  const skipped: string[] = [];
  const valid: { dir: string; iteration: number }[] = [];
  for (const dir of candidates) {
    if (!statSync(dir).isDirectory()) continue;
    try {
      valid.push({ dir, iteration: verifyCheckpoint(dir).iteration });
    } catch (error) {
      skipped.push(`skipped ${(error as Error).message}`);
    }
  }
  if (valid.length === 0) throw new Error(`no intact checkpoint under ${path}${skipped.length ? `: ${skipped.join('; ')}` : ''}`);
  valid.sort((a, b) => b.iteration - a.iteration);
  return { dir: valid[0].dir, skipped };
}

export function readProgress(dir: string): Progress {
  return JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')) as Progress;
}

export async function loadCheckpointModel(dir: string): Promise<tf.LayersModel> {
  return loadModel(join(dir, 'model'));
}

export async function loadCheckpointOptimizer(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const { className, tensors } = JSON.parse(readFileSync(join(dir, 'optimizer.json'), 'utf8')) as { className: string; tensors: TensorSpec[] };
  if (className !== optimizer.getClassName()) throw new Error(`checkpoint ${dir} holds ${className} state, the run uses ${optimizer.getClassName()}`);
  await restoreOptimizerState(optimizer, tensors, readFileSync(join(dir, 'optimizer.bin')));
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
