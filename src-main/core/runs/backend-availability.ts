// What the Train view shows before a run: which backends this machine has, without
// initialising any of them in the main process (the worker does that when it trains).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendStatus } from '../../../src-shared/api/training.contract';
import { backendNames, type BackendName } from '../../../src-shared/training/config';
import { nativePackageMissing } from '../training/backends/native-packages';

const resolveFrom = createRequire(import.meta.url);

function resolvable(specifier: string): string | null {
  try {
    return resolveFrom.resolve(specifier);
  } catch {
    return null;
  }
}

function check(name: BackendName): { available: boolean; reason: string } {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      const pkg = `@tensorflow/${name}`;
      return resolvable(pkg)
        ? { available: true, reason: `native TensorFlow (${name === 'tfjs-node-gpu' ? 'CUDA' : 'CPU'})` }
        : { available: false, reason: nativePackageMissing(pkg) };
    }
    case 'onnx-cpu':
      return resolvable('onnxruntime-node')
        ? { available: true, reason: 'TensorFlow.js with its heavy kernels in ONNX Runtime (native CPU)' }
        : { available: false, reason: 'onnxruntime-node is not installed' };
    case 'wasm': {
      const entry = resolvable('@tensorflow/tfjs-backend-wasm');
      const wasm = entry && join(dirname(entry), 'tfjs-backend-wasm.wasm');
      return wasm && existsSync(wasm)
        ? { available: true, reason: 'WebAssembly (portable, slower)' }
        : { available: false, reason: '@tensorflow/tfjs-backend-wasm or its .wasm file is missing' };
    }
    case 'cpu':
      return { available: true, reason: 'pure JavaScript (slowest; always there)' };
  }
}

/** In the worker's order of preference; the first available one is what 'auto' runs. */
export function backendAvailability(order: readonly BackendName[] = backendNames): BackendStatus[] {
  let preferredTaken = false;
  return order.map((name) => {
    const { available, reason } = check(name);
    const preferred = available && !preferredTaken;
    if (preferred) preferredTaken = true;
    return { name, available, reason, preferred };
  });
}
