// Finds and loads the oneDNN training step (native/onednn-step, built by
// scripts/build-native.sh into native/build/). Missing is not an error: training then uses
// the ONNX graph engine, and the reason says how to build it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot, unpackedPath } from '../../files/package-root';

export const ONEDNN_ADDON_ENV = 'DEEPPOSE_ONEDNN_ADDON';

export interface OneDnnAddon {
  /** `threads`: the OpenMP team oneDNN and the update loops use (the studio's thread count). */
  create(
    spec: Int32Array,
    batch: number,
    inputSize: number,
    outputs: number,
    optimizer: 0 | 1,
    momentum: number,
    threads: number,
  ): unknown;
  step(
    engine: unknown,
    pixels: Float32Array,
    targets: Float32Array,
    mask: Float32Array,
    dropouts: Float32Array[],
    hyper: Float32Array,
    weights: Float32Array[],
    slots: Float32Array[],
  ): number;
  /** Frees the engine's buffers now rather than when the handle is collected. */
  dispose(engine: unknown): void;
}

let loaded: { addon: OneDnnAddon } | { problem: string } | undefined;

export function addonPath(): string {
  if (process.env[ONEDNN_ADDON_ENV]) return process.env[ONEDNN_ADDON_ENV];
  return unpackedPath(
    join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'native', 'build', 'onednn_step.node'),
  );
}

/** The addon, or why it is unavailable. */
export function loadOneDnn(): { addon: OneDnnAddon } | { problem: string } {
  if (loaded) return loaded;
  let path = '';
  try {
    path = addonPath();
    if (!existsSync(path))
      return (loaded = {
        problem: `not built (no ${path}; scripts/build-native.sh builds it where oneDNN is installed)`,
      });
    loaded = { addon: createRequire(import.meta.url)(path) as OneDnnAddon };
  } catch (error) {
    loaded = { problem: `cannot load ${path}: ${(error as Error).message.split('\n')[0]}` };
  }
  return loaded;
}
