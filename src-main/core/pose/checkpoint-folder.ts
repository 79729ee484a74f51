// A checkpoint folder as the files on disk say it: its manifest (sizes and sha256s), its progress,
// and which one a resume starts from. Plain fs and JSON, no TensorFlow.js: the core host reads
// run progress and finds resume points without loading the network's runtime.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { MetricPoint } from '../../../src-shared/training/protocol';

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

export interface CheckpointManifest {
  format: 'deeppose-checkpoint-v1';
  epoch: number;
  batch: number;
  iteration: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

export const MANIFEST = 'manifest.json';

export function checkpointsDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

/** Throws with what is wrong when the folder is not a complete, intact checkpoint. */
export function verifyCheckpoint(dir: string): CheckpointManifest {
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) throw new Error(`checkpoint ${dir} has no ${MANIFEST} (incomplete write?)`);
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CheckpointManifest;
  } catch (error) {
    throw new Error(`checkpoint ${dir}: ${MANIFEST} is unreadable (${(error as Error).message})`, { cause: error });
  }
  if (manifest.format !== 'deeppose-checkpoint-v1')
    throw new Error(`checkpoint ${dir}: unknown format '${String(manifest.format)}'`);
  for (const [file, expected] of Object.entries(manifest.files)) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`checkpoint ${dir}: ${file} is missing`);
    const data = readFileSync(path);
    if (data.length !== expected.bytes)
      throw new Error(`checkpoint ${dir}: ${file} has ${data.length} bytes, expected ${expected.bytes} (truncated?)`);
    if (sha256(data) !== expected.sha256)
      throw new Error(`checkpoint ${dir}: ${file} does not match its checksum (corrupt)`);
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
  if (valid.length === 0)
    throw new Error(`no intact checkpoint under ${path}${skipped.length ? `: ${skipped.join('; ')}` : ''}`);
  valid.sort((a, b) => b.iteration - a.iteration);
  return { dir: valid[0].dir, skipped };
}

export function readProgress(dir: string): Progress {
  return JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')) as Progress;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
