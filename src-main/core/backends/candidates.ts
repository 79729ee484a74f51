// The backends training can run on, fastest first. Each `load` makes its backend the
// active tfjs backend, after a tiny kernel ran right on it, or throws with the reason it cannot.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../../src-shared/training/config';
import { useFastCpuConv2DBackpropFilter } from './cpu-conv2d-backprop-filter';
import { loadWasmBackend } from './wasm';
import { useOnnxCpuBackend } from './onnx-cpu/register-onnx-cpu-backend';
import { useTfjsNode } from './tfjs-node';
import { useWebgpuBackend } from './webgpu';

export interface BackendCandidate {
  name: BackendName;
  /** Resolves with the devices it runs on where that is worth saying (GPUs). */
  load(): Promise<{ devices: string[] } | void>;
}

async function useCpu(): Promise<void> {
  useFastCpuConv2DBackpropFilter();
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
}

/**
 * Insert new backends here, in order of preference: GPUs first (CUDA through native
 * TensorFlow, then WebGPU through Dawn), then the CPU engines.
 */
export const backendCandidates: BackendCandidate[] = [
  { name: 'tfjs-node-gpu', load: () => useTfjsNode('@tensorflow/tfjs-node-gpu') },
  { name: 'webgpu', load: () => useWebgpuBackend() },
  { name: 'tfjs-node', load: () => useTfjsNode('@tensorflow/tfjs-node') },
  { name: 'onnx-cpu', load: useOnnxCpuBackend },
  { name: 'wasm', load: loadWasmBackend },
  { name: 'cpu', load: useCpu },
];
