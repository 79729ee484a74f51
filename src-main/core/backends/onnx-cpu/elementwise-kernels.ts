// Element-wise arithmetic, reductions and the ReLU gradient mask. The cpu backend runs
// these through generic per-element callbacks with broadcast index arithmetic (about
// 100 ns an element); on AlexNet's 58 M parameters the optimizer update and the bias
// gradients then cost more than all convolutions. Large tensors go to ONNX Runtime, whose
// broadcasting rules are numpy's, as are tfjs'; small ones stay on the cpu kernels,
// where a native call would cost more than it saves.
import { backend_util, broadcast_util, util, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { kernelSession } from './onnx-sessions';
import { allFloat32, cpuKernel, graphKey, output, sizeOf, valuesOf, type KernelArgs } from './kernel-support';

/** Below this many output elements the cpu kernel is used. */
const MIN_ELEMENTS = 16384;

function binaryKernel(kernelName: string, onnxOp: string): Omit<KernelConfig, 'backendName'> {
  const cpu = cpuKernel(kernelName);
  const kernelFunc: KernelFunc = (kernelArgs) => {
    const args = kernelArgs as unknown as KernelArgs;
    const { a, b } = args.inputs;
    if (!allFloat32(a, b)) return cpu(kernelArgs);
    const outShape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (sizeOf(outShape) < MIN_ELEMENTS) return cpu(kernelArgs);
    const session = kernelSession(graphKey(onnxOp, a.shape, b.shape), () => ({
      inputs: [
        { name: 'a', shape: a.shape },
        { name: 'b', shape: b.shape },
      ],
      outputs: [{ name: 'y', shape: outShape }],
      nodes: [{ op: onnxOp, inputs: ['a', 'b'], outputs: ['y'] }],
    }));
    return output(args, outShape, session.run([valuesOf(args, a), valuesOf(args, b)])[0]);
  };
  return { kernelName, kernelFunc };
}

const cpuSum = cpuKernel('Sum');
const sum: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x } = args.inputs;
  const axes = util.parseAxisParam(args.attrs.axis as number | number[], x.shape);
  if (!allFloat32(x) || sizeOf(x.shape) < MIN_ELEMENTS || axes.length === 0) return cpuSum(kernelArgs);
  const keepDims = Boolean(args.attrs.keepDims);
  const [kept] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const outShape = keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  const session = kernelSession(graphKey('sum', x.shape, axes, keepDims), () => ({
    inputs: [{ name: 'x', shape: x.shape }],
    outputs: [{ name: 'y', shape: outShape }],
    nodes: [{ op: 'ReduceSum', inputs: ['x', 'axes'], outputs: ['y'], attributes: { keepdims: Number(keepDims) } }],
    int64Constants: { axes },
  }));
  return output(args, outShape, session.run([valuesOf(args, x)])[0]);
};

const cpuRelu = cpuKernel('Relu');
const relu: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x } = args.inputs;
  if (!allFloat32(x) || sizeOf(x.shape) < MIN_ELEMENTS) return cpuRelu(kernelArgs);
  const session = kernelSession(graphKey('relu', x.shape), () => ({
    inputs: [{ name: 'x', shape: x.shape }],
    outputs: [{ name: 'y', shape: x.shape }],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
  }));
  return output(args, x.shape, session.run([valuesOf(args, x)])[0]);
};

// Step is the ReLU gradient's mask (x > 0 ? 1 : alpha, NaN kept); a plain loop is enough.
const cpuStep = cpuKernel('Step');
const step: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x } = args.inputs;
  if (!allFloat32(x)) return cpuStep(kernelArgs);
  const alpha = (args.attrs.alpha as number | undefined) ?? 0;
  const xs = valuesOf(args, x);
  const ys = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    ys[i] = v > 0 ? 1 : v !== v ? NaN : alpha;
  }
  return output(args, x.shape, ys);
};

export const elementwiseKernels: Array<Omit<KernelConfig, 'backendName'>> = [
  binaryKernel('Add', 'Add'),
  binaryKernel('Sub', 'Sub'),
  binaryKernel('Multiply', 'Mul'),
  binaryKernel('RealDiv', 'Div'),
  { kernelName: 'Sum', kernelFunc: sum },
  { kernelName: 'Relu', kernelFunc: relu },
  { kernelName: 'Step', kernelFunc: step },
];
