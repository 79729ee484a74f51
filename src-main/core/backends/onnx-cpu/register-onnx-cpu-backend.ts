// The 'onnx-cpu' tfjs backend: the plain cpu backend's storage and kernels, with the heavy
// kernels replaced by cached ONNX graphs run synchronously in onnxruntime-node.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { convKernels } from './conv-kernels';
import { elementwiseKernels } from './elementwise-kernels';
import { matMulKernels } from './matmul-kernels';
import { poolKernels } from './pool-kernels';
import { loadOnnxRuntime } from '../../onnx/onnx-runtime';

export const ONNX_CPU_BACKEND = 'onnx-cpu';

export type OnnxCpuRegistration = { ok: true } | { ok: false; reason: string };

let registration: OnnxCpuRegistration | undefined;

/** Registers the backend once; reports why not where onnxruntime-node cannot load here. */
export function tryRegisterOnnxCpuBackend(): OnnxCpuRegistration {
  if (registration) return registration;
  try {
    loadOnnxRuntime();
  } catch (error) {
    registration = { ok: false, reason: `onnxruntime-node did not load: ${(error as Error).message}` };
    return registration;
  }
  // Priority below cpu's: the engine picks this backend explicitly, tf.ready() never does.
  tf.registerBackend(ONNX_CPU_BACKEND, () => new MathBackendCPU(), 0);
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    tf.registerKernel({ ...kernel, backendName: ONNX_CPU_BACKEND });
  }
  for (const kernel of [...convKernels, ...matMulKernels, ...poolKernels, ...elementwiseKernels]) {
    tf.unregisterKernel(kernel.kernelName, ONNX_CPU_BACKEND);
    tf.registerKernel({ ...kernel, backendName: ONNX_CPU_BACKEND });
  }
  registration = { ok: true };
  return registration;
}

/** For the training engine's candidate list: true when 'onnx-cpu' can be selected. */
export async function registerOnnxCpuBackend(): Promise<boolean> {
  const result = tryRegisterOnnxCpuBackend();
  if (!result.ok) console.warn(`onnx-cpu backend unavailable: ${result.reason}`);
  return result.ok;
}

/** A `load` for the training engine's backend candidates: selects 'onnx-cpu' or throws why not. */
export async function useOnnxCpuBackend(): Promise<void> {
  const result = tryRegisterOnnxCpuBackend();
  if (!result.ok) throw new Error(result.reason);
  if (!(await tf.setBackend(ONNX_CPU_BACKEND))) throw new Error('the onnx-cpu backend did not initialise');
}
