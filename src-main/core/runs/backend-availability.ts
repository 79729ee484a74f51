// What the Train view and `deeppose train --help` show before a run: which backends this
// machine has. GPU backends are probed for real (binding or adapter, then a tiny kernel) in a
// worker process, once per process: the studio's processes never load libtensorflow or Dawn.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendStatus } from '../../../src-shared/api/training.contract';
import { backendNames, type BackendName } from '../../../src-shared/training/config';
import { cudaProblem, nativePackageProblem } from '../backends/native-packages';
import { probeInChild } from '../worker/probe-in-child';
import type { ProbeResult } from '../../../src-shared/training/protocol';
import type { WorkerLauncher } from '../worker/worker-launcher';

const resolveFrom = createRequire(import.meta.url);

function resolvable(specifier: string): string | null {
  try {
    return resolveFrom.resolve(specifier);
  } catch {
    return null;
  }
}

type Check = { available: boolean; reason: string; devices?: string[] };
export type Probe = (name: BackendName) => Promise<ProbeResult>;

const probes = new Map<BackendName, Promise<ProbeResult>>();
/** Each backend probed once per process, in a worker started by `launch` (the studio's own launcher). */
export const probeOnceWith =
  (launch?: WorkerLauncher): Probe =>
  (name) => {
    if (!probes.has(name)) probes.set(name, probeInChild(name, launch));
    return probes.get(name)!;
  };

async function probed(name: BackendName, what: string, probe: Probe): Promise<Check> {
  const result = await probe(name);
  if (!result.ok) return { available: false, reason: result.reason ?? 'its probe failed' };
  const devices = result.devices ?? [];
  return { available: true, reason: devices.length ? `${what} on ${devices.join(', ')}` : what, devices };
}

async function check(name: BackendName, probe: Probe): Promise<Check> {
  switch (name) {
    case 'tfjs-node-gpu': {
      const problem = nativePackageProblem('@tensorflow/tfjs-node-gpu') ?? cudaProblem();
      return problem ? { available: false, reason: problem } : probed(name, 'native TensorFlow (CUDA)', probe);
    }
    case 'webgpu':
      return probed(name, 'WebGPU (Dawn)', probe);
    case 'tfjs-node': {
      const problem = nativePackageProblem('@tensorflow/tfjs-node');
      return problem ? { available: false, reason: problem } : probed(name, 'native TensorFlow (CPU)', probe);
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
export async function backendAvailability(
  order: readonly BackendName[] = backendNames,
  probe: Probe = probeOnceWith(),
): Promise<BackendStatus[]> {
  const checks = await Promise.all(order.map((name) => check(name, probe)));
  let preferredTaken = false;
  return order.map((name, i) => {
    const { available, reason, devices } = checks[i];
    const preferred = available && !preferredTaken;
    if (preferred) preferredTaken = true;
    return { name, available, reason, preferred, ...(devices ? { devices } : {}) };
  });
}
