// The optional native TensorFlow packages: whether npm left a usable copy, and why one cannot
// be used, in the same words in the Train view's backend list, `deeppose train --help` and a
// run's notes. No tfjs import here: main reads this too.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findSharedLibrary, nvidiaGpus } from './system-gpu';

export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

/** What tfjs-node-gpu 4.22.0 (libtensorflow 2.9.1) loads: CUDA 11.2's runtime and cuDNN 8.1. */
export const cudaLibraries = ['libcudart.so.11.0', 'libcudnn.so.8'] as const;

export const nativeReasons = {
  notInstalled: (pkg: NativePackage) =>
    `${pkg} is not installed: npm drops this optional package when its install fails, and its install downloads libtensorflow from outside the npm registry (it needs internet access); run 'npm install' where that download works`,
  bindingMissing: (pkg: NativePackage) =>
    `${pkg} is installed without its native binding (its libtensorflow download failed: it needs internet access); run 'npm rebuild ${pkg}' where that download works`,
  needsCuda: (missing: readonly string[]) =>
    `tfjs-node-gpu 4.22.0 needs CUDA 11.2 and cuDNN 8.1: ${missing.join(' and ')} not found on the library path (ldconfig or LD_LIBRARY_PATH)`,
  noGpu: 'no NVIDIA GPU: nvidia-smi lists none and /proc/driver/nvidia has none',
  cpuFallback:
    'TensorFlow found no usable CUDA GPU (a driver too old for CUDA 11.2, or a GPU TensorFlow 2.9 cannot use) and would run on the CPU',
};

/** Null when npm left the package with its native binding, else why it cannot load. */
export function nativePackageProblem(pkg: NativePackage, from: string = import.meta.url): string | null {
  let root: string;
  try {
    root = dirname(createRequire(from).resolve(`${pkg}/package.json`));
  } catch {
    return nativeReasons.notInstalled(pkg);
  }
  // node-pre-gyp puts the binding in lib/napi-v<N>/ once libtensorflow is in place.
  const lib = join(root, 'lib');
  const built =
    existsSync(lib) &&
    readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
  return built ? null : nativeReasons.bindingMissing(pkg);
}

/** Why a GPU-less or CUDA-less machine cannot use tfjs-node-gpu, checked before libtensorflow loads. */
export function cudaProblem(): string | null {
  if (nvidiaGpus().length === 0) return nativeReasons.noGpu;
  const missing = cudaLibraries.filter((name) => !findSharedLibrary(name));
  return missing.length ? nativeReasons.needsCuda(missing) : null;
}
