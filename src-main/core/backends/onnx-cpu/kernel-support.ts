// Shared plumbing for the onnx-cpu kernels: reading tfjs tensor storage, falling back to
// the plain cpu kernel for cases the ONNX graphs do not cover, and graph cache keys.
import { getKernel, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs: NamedAttrMap;
}

/** The float32 storage of a tensor (the cpu backend keeps one flat typed array per tensor). */
export function valuesOf(args: KernelArgs, tensor: TensorInfo): Float32Array {
  return args.backend.data.get(tensor.dataId).values as Float32Array;
}

export function output(args: KernelArgs, shape: number[], values: Float32Array): TensorInfo {
  return args.backend.makeTensorInfo(shape, 'float32', values);
}

export function allFloat32(...tensors: Array<TensorInfo | undefined>): boolean {
  return tensors.every((t) => t === undefined || t.dtype === 'float32');
}

/** The plain cpu backend's implementation of `kernelName`, looked up when first called. */
export function cpuKernel(kernelName: string): KernelFunc {
  return (args) => {
    const kernel = getKernel(kernelName, 'cpu');
    if (!kernel) throw new Error(`tfjs cpu backend has no ${kernelName} kernel`);
    return kernel.kernelFunc(args);
  };
}

export function graphKey(op: string, ...parts: unknown[]): string {
  return `${op}:${JSON.stringify(parts)}`;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
