// Conv2D, FusedConv2D and both convolution gradients as ONNX graphs. tfjs keeps NHWC
// activations and HWIO filters; ONNX Conv wants NCHW / OIHW, so each graph carries its own
// Transpose nodes (ORT fuses them into its blocked-layout reorders where it can).
import { backend_util, type Conv2DAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { OnnxGraph, OnnxNode } from './onnx-model';
import { kernelSession } from './onnx-sessions';
import { allFloat32, cpuKernel, graphKey, output, valuesOf, type KernelArgs } from './kernel-support';

type ConvInfo = backend_util.Conv2DInfo;

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const HWIO_TO_OIHW = [3, 2, 0, 1];

function convGeometry(info: ConvInfo): unknown[] {
  const p = info.padInfo;
  return [info.inShape, info.filterHeight, info.filterWidth, info.outChannels, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, p.top, p.left, p.bottom, p.right];
}

function convAttributes(info: ConvInfo): OnnxNode['attributes'] {
  const p = info.padInfo;
  return {
    kernel_shape: [info.filterHeight, info.filterWidth],
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    pads: [p.top, p.left, p.bottom, p.right],
  };
}

function conv2dInfo(args: KernelArgs, inShape: number[], filterShape: number[]): ConvInfo {
  const { strides, pad, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
  return backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
  );
}

function forwardGraph(info: ConvInfo, withBias: boolean, relu: boolean): OnnxGraph {
  const inputs = [
    { name: 'x', shape: info.inShape },
    { name: 'w', shape: [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels] },
  ];
  if (withBias) inputs.push({ name: 'b', shape: [info.outChannels] });
  const nodes: OnnxNode[] = [
    { op: 'Transpose', inputs: ['x'], outputs: ['xc'], attributes: { perm: NHWC_TO_NCHW } },
    { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attributes: { perm: HWIO_TO_OIHW } },
    { op: 'Conv', inputs: withBias ? ['xc', 'wc', 'b'] : ['xc', 'wc'], outputs: ['yc'], attributes: convAttributes(info) },
  ];
  if (relu) nodes.push({ op: 'Relu', inputs: ['yc'], outputs: ['ycr'] });
  nodes.push({ op: 'Transpose', inputs: [relu ? 'ycr' : 'yc'], outputs: ['y'], attributes: { perm: NCHW_TO_NHWC } });
  return { inputs, outputs: [{ name: 'y', shape: info.outShape }], nodes };
}

function runForward(args: KernelArgs, info: ConvInfo, bias: TensorInfo | undefined, relu: boolean): TensorInfo {
  const { x, filter } = args.inputs;
  const key = graphKey('conv', convGeometry(info), bias !== undefined, relu);
  const session = kernelSession(key, () => forwardGraph(info, bias !== undefined, relu));
  const feeds = [valuesOf(args, x), valuesOf(args, filter)];
  if (bias) feeds.push(valuesOf(args, bias));
  return output(args, info.outShape, session.run(feeds)[0]);
}

function channelsLast(args: KernelArgs): boolean {
  return (args.attrs.dataFormat ?? 'NHWC') === 'NHWC';
}

const cpuConv2D = cpuKernel('Conv2D');
const conv2D: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x, filter } = args.inputs;
  if (!channelsLast(args) || !allFloat32(x, filter)) return cpuConv2D(kernelArgs);
  return runForward(args, conv2dInfo(args, x.shape, filter.shape), undefined, false);
};

const cpuFusedConv2D = cpuKernel('FusedConv2D');
const fusedConv2D: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x, filter, bias } = args.inputs;
  const activation = (args.attrs.activation as string | undefined) ?? 'linear';
  const biasFits = bias === undefined || bias.shape.reduce((a, b) => a * b, 1) === filter.shape[3];
  if (!channelsLast(args) || !allFloat32(x, filter, bias) || !biasFits || (activation !== 'linear' && activation !== 'relu')) {
    return cpuFusedConv2D(kernelArgs);
  }
  return runForward(args, conv2dInfo(args, x.shape, filter.shape), bias, activation === 'relu');
};

// dx = ConvTranspose(dy, w); output_padding restores rows a strided forward pass skipped.
const cpuBackpropInput = cpuKernel('Conv2DBackpropInput');
const conv2DBackpropInput: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { dy, filter } = args.inputs;
  if (!channelsLast(args) || !allFloat32(dy, filter)) return cpuBackpropInput(kernelArgs);
  const info = conv2dInfo(args, args.attrs.inputShape as number[], filter.shape);
  const session = kernelSession(graphKey('conv-dx', convGeometry(info)), (): OnnxGraph => {
    const p = info.padInfo;
    const span = (out: number, stride: number, k: number, d: number) => stride * (out - 1) + (k - 1) * d + 1;
    const outputPadding = [
      info.inHeight + p.top + p.bottom - span(info.outHeight, info.strideHeight, info.filterHeight, info.dilationHeight),
      info.inWidth + p.left + p.right - span(info.outWidth, info.strideWidth, info.filterWidth, info.dilationWidth),
    ];
    return {
      inputs: [
        { name: 'dy', shape: info.outShape },
        { name: 'w', shape: filter.shape },
      ],
      outputs: [{ name: 'dx', shape: info.inShape }],
      nodes: [
        { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attributes: { perm: NHWC_TO_NCHW } },
        { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attributes: { perm: HWIO_TO_OIHW } },
        { op: 'ConvTranspose', inputs: ['dyc', 'wc'], outputs: ['dxc'], attributes: { ...convAttributes(info), output_padding: outputPadding } },
        { op: 'Transpose', inputs: ['dxc'], outputs: ['dx'], attributes: { perm: NCHW_TO_NHWC } },
      ],
    };
  });
  return output(args, info.inShape, session.run([valuesOf(args, dy), valuesOf(args, filter)])[0]);
};

// dw[kh,kw,i,o] = sum over n,y,x of x[n, y*s + kh*d, x*s + kw*d, i] * dy[n, y, x, o]: a
// convolution of x (input channels as batch, images as channels) with dy as the filter,
// where the forward stride becomes the dilation and the forward dilation the stride.
const cpuBackpropFilter = cpuKernel('Conv2DBackpropFilter');
const conv2DBackpropFilter: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x, dy } = args.inputs;
  if (!channelsLast(args) || !allFloat32(x, dy)) return cpuBackpropFilter(kernelArgs);
  const filterShape = args.attrs.filterShape as number[];
  const info = conv2dInfo(args, x.shape, filterShape);
  const session = kernelSession(graphKey('conv-dw', convGeometry(info)), (): OnnxGraph => {
    const p = info.padInfo;
    const reach = (out: number, stride: number, k: number, d: number) => (k - 1) * d + (out - 1) * stride + 1;
    const padBottom = Math.max(0, reach(info.outHeight, info.strideHeight, info.filterHeight, info.dilationHeight) - info.inHeight - p.top);
    const padRight = Math.max(0, reach(info.outWidth, info.strideWidth, info.filterWidth, info.dilationWidth) - info.inWidth - p.left);
    return {
      inputs: [
        { name: 'x', shape: info.inShape },
        { name: 'dy', shape: info.outShape },
      ],
      outputs: [{ name: 'dw', shape: filterShape }],
      nodes: [
        { op: 'Transpose', inputs: ['x'], outputs: ['xt'], attributes: { perm: [3, 0, 1, 2] } },
        { op: 'Transpose', inputs: ['dy'], outputs: ['dyt'], attributes: { perm: [3, 0, 1, 2] } },
        {
          op: 'Conv',
          inputs: ['xt', 'dyt'],
          outputs: ['full'],
          attributes: {
            kernel_shape: [info.outHeight, info.outWidth],
            strides: [info.dilationHeight, info.dilationWidth],
            dilations: [info.strideHeight, info.strideWidth],
            pads: [p.top, p.left, padBottom, padRight],
          },
        },
        // Rows past the last window the forward pass used are cut off.
        { op: 'Slice', inputs: ['full', 'starts', 'ends', 'axes'], outputs: ['dwc'] },
        { op: 'Transpose', inputs: ['dwc'], outputs: ['dw'], attributes: { perm: [2, 3, 0, 1] } },
      ],
      int64Constants: { starts: [0, 0], ends: [info.filterHeight, info.filterWidth], axes: [2, 3] },
    };
  });
  return output(args, filterShape, session.run([valuesOf(args, x), valuesOf(args, dy)])[0]);
};

export const convKernels: Array<Omit<KernelConfig, 'backendName'>> = [
  { kernelName: 'Conv2D', kernelFunc: conv2D },
  { kernelName: 'FusedConv2D', kernelFunc: fusedConv2D },
  { kernelName: 'Conv2DBackpropInput', kernelFunc: conv2DBackpropInput },
  { kernelName: 'Conv2DBackpropFilter', kernelFunc: conv2DBackpropFilter },
];
