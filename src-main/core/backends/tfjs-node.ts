// The native TensorFlow backends (optional packages). Available only when npm left the
// binding, libtensorflow loads, a tiny kernel runs, and for tfjs-node-gpu TensorFlow really
// placed it on a CUDA GPU (it silently falls back to the CPU otherwise).
import * as tf from '@tensorflow/tfjs';
import { checkTinyKernel } from './tiny-kernel';
import { cudaProblem, nativePackageProblem, nativeReasons, type NativePackage } from './native-packages';
import { nvidiaGpus } from './system-gpu';

export async function useTfjsNode(pkg: NativePackage): Promise<{ devices: string[] }> {
  const gpu = pkg === '@tensorflow/tfjs-node-gpu';
  const problem = nativePackageProblem(pkg) ?? (gpu ? cudaProblem() : null);
  if (problem) throw new Error(problem);
  const specifier: string = pkg; // a variable: the bundler must not resolve an optional package
  await import(/* @vite-ignore */ specifier);
  if (!(await tf.setBackend('tensorflow')))
    throw new Error(`${pkg} loaded but its 'tensorflow' backend did not initialise`);
  await checkTinyKernel();
  if (gpu && (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice !== true)
    throw new Error(nativeReasons.cpuFallback);
  return { devices: gpu ? nvidiaGpus() : ['CPU'] };
}
