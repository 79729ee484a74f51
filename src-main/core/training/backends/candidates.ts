// The backends training can run on, fastest first. Each `load` makes its backend the
// active tfjs backend or throws with the reason it cannot.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../../../src-shared/training/config';
import { useFastCpuConv2DBackpropFilter } from './cpu-conv2d-backprop-filter';
import { loadWasmBackend } from './wasm';
import { useOnnxCpuBackend } from './onnx-cpu/register-onnx-cpu-backend';
import { nativePackageMissing } from './native-packages';

export interface BackendCandidate {
  name: BackendName;
  load(): Promise<void>;
}

async function useNativePackage(specifier: string): Promise<void> {
  // A variable specifier: these optional packages are not installed everywhere.
  const name: string = specifier;
  try {
    await import(/* @vite-ignore */ name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Say what the user can do rather than which bundle chunk looked for it.
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(specifier)) {
      throw new Error(nativePackageMissing(specifier));
    }
    throw error;
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${specifier} loaded but its 'tensorflow' backend did not initialise`);
}

async function useCpu(): Promise<void> {
  useFastCpuConv2DBackpropFilter();
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
}

/** Insert new backends here, in order of preference. */
export const backendCandidates: BackendCandidate[] = [
  { name: 'tfjs-node-gpu', load: () => useNativePackage('@tensorflow/tfjs-node-gpu') },
  { name: 'tfjs-node', load: () => useNativePackage('@tensorflow/tfjs-node') },
  { name: 'onnx-cpu', load: useOnnxCpuBackend },
  { name: 'wasm', load: loadWasmBackend },
  { name: 'cpu', load: useCpu },
];
