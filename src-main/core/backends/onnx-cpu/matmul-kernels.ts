// BatchMatMul and _FusedMatMul (dense layers and their gradients) as ONNX Gemm / MatMul.
// A graph input may be fed under any shape of the same size, so rank-3 tensors with a
// single batch go in as matrices and run through Gemm, which also folds bias and transposes.
import { broadcast_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { OnnxGraph, OnnxNode } from '../../onnx/onnx-model';
import { kernelSession } from './onnx-sessions';
import { allFloat32, cpuKernel, graphKey, output, sizeOf, valuesOf, type KernelArgs } from './kernel-support';

interface MatMulShape {
  batch: number;
  /** Stored (untransposed) matrix shapes of one batch entry. */
  aRows: number;
  aCols: number;
  bRows: number;
  bCols: number;
  transposeA: boolean;
  transposeB: boolean;
  outShape: number[];
}

function matMulShape(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): MatMulShape | undefined {
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  // Only equal batches (or none) go to ONNX; broadcast batches keep the cpu kernel.
  if (batchA !== batchB) return undefined;
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const m = transposeA ? aCols : aRows;
  const n = transposeB ? bRows : bCols;
  return { batch: batchA, aRows, aCols, bRows, bCols, transposeA, transposeB, outShape: [...outer, m, n] };
}

function matMulGraph(s: MatMulShape, biasSize: number | undefined, relu: boolean): OnnxGraph {
  const m = s.outShape[s.outShape.length - 2];
  const n = s.outShape[s.outShape.length - 1];
  const nodes: OnnxNode[] = [];
  const inputs = [
    { name: 'a', shape: s.batch === 1 ? [s.aRows, s.aCols] : [s.batch, s.aRows, s.aCols] },
    { name: 'b', shape: s.batch === 1 ? [s.bRows, s.bCols] : [s.batch, s.bRows, s.bCols] },
  ];
  if (biasSize !== undefined) inputs.push({ name: 'bias', shape: [biasSize] });
  const product = relu ? 'pre' : 'y';
  if (s.batch === 1) {
    nodes.push({
      op: 'Gemm',
      inputs: biasSize !== undefined ? ['a', 'b', 'bias'] : ['a', 'b'],
      outputs: [product],
      attributes: { transA: Number(s.transposeA), transB: Number(s.transposeB) },
    });
  } else {
    const swap = [0, 2, 1];
    if (s.transposeA) nodes.push({ op: 'Transpose', inputs: ['a'], outputs: ['at'], attributes: { perm: swap } });
    if (s.transposeB) nodes.push({ op: 'Transpose', inputs: ['b'], outputs: ['bt'], attributes: { perm: swap } });
    const mm = biasSize !== undefined ? 'mm' : product;
    nodes.push({ op: 'MatMul', inputs: [s.transposeA ? 'at' : 'a', s.transposeB ? 'bt' : 'b'], outputs: [mm] });
    if (biasSize !== undefined) nodes.push({ op: 'Add', inputs: [mm, 'bias'], outputs: [product] });
  }
  if (relu) nodes.push({ op: 'Relu', inputs: ['pre'], outputs: ['y'] });
  return { inputs, outputs: [{ name: 'y', shape: s.batch === 1 ? [m, n] : [s.batch, m, n] }], nodes };
}

function runMatMul(args: KernelArgs, s: MatMulShape, bias: TensorInfo | undefined, relu: boolean): TensorInfo {
  const { a, b } = args.inputs;
  const biasSize = bias ? sizeOf(bias.shape) : undefined;
  const session = kernelSession(graphKey('matmul', s, biasSize, relu), () => matMulGraph(s, biasSize, relu));
  const feeds = [valuesOf(args, a), valuesOf(args, b)];
  if (bias) feeds.push(valuesOf(args, bias));
  return output(args, s.outShape, session.run(feeds)[0]);
}

const cpuBatchMatMul = cpuKernel('BatchMatMul');
const batchMatMul: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { a, b } = args.inputs;
  const shape = allFloat32(a, b)
    ? matMulShape(a, b, Boolean(args.attrs.transposeA), Boolean(args.attrs.transposeB))
    : undefined;
  return shape ? runMatMul(args, shape, undefined, false) : cpuBatchMatMul(kernelArgs);
};

const cpuFusedMatMul = cpuKernel('_FusedMatMul');
const fusedMatMul: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { a, b, bias } = args.inputs;
  const activation = (args.attrs.activation as string | undefined) ?? 'linear';
  const shape = allFloat32(a, b, bias)
    ? matMulShape(a, b, Boolean(args.attrs.transposeA), Boolean(args.attrs.transposeB))
    : undefined;
  const n = shape?.outShape[shape.outShape.length - 1];
  // Bias must be a per-column vector (what dense layers pass); other shapes keep the cpu kernel.
  const biasFits = bias === undefined || sizeOf(bias.shape) === n;
  if (!shape || !biasFits || (activation !== 'linear' && activation !== 'relu')) return cpuFusedMatMul(kernelArgs);
  return runMatMul(args, shape, bias, activation === 'relu');
};

export const matMulKernels: Array<Omit<KernelConfig, 'backendName'>> = [
  { kernelName: 'BatchMatMul', kernelFunc: batchMatMul },
  { kernelName: '_FusedMatMul', kernelFunc: fusedMatMul },
];
