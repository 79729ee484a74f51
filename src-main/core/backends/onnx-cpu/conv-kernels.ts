// Conv2D, FusedConv2D and both convolution gradients as ONNX graphs. tfjs keeps NHWC
// activations and HWIO filters; ONNX Conv wants NCHW / OIHW, so each graph carries its own
// Transpose nodes: no layout copies in JS, and measured cheap next to the convolution
// (AlexNet conv2 forward, transposes included, ran at 80-250 GFLOPS on this 2-core VM).
import { backend_util, type Conv2DAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { OnnxGraph, OnnxNode } from '../../onnx/onnx-model';
import { kernelSession } from './onnx-sessions';
import { allFloat32, cpuKernel, graphKey, output, valuesOf, type KernelArgs } from './kernel-support';

type ConvInfo = backend_util.Conv2DInfo;

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const HWIO_TO_OIHW = [3, 2, 0, 1];

function convGeometry(info: ConvInfo): unknown[] {
  const p = info.padInfo;
  return [
    info.inShape,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
  ];
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
    {
      op: 'Conv',
      inputs: withBias ? ['xc', 'wc', 'b'] : ['xc', 'wc'],
      outputs: ['yc'],
      attributes: convAttributes(info),
    },
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
  if (
    !channelsLast(args) ||
    !allFloat32(x, filter, bias) ||
    !biasFits ||
    (activation !== 'linear' && activation !== 'relu')
  ) {
    return cpuFusedConv2D(kernelArgs);
  }
  return runForward(args, conv2dInfo(args, x.shape, filter.shape), bias, activation === 'relu');
};

/** dy (NHWC) and the filter (HWIO) in, dx (NHWC) out. */
function inputGradientSignature(info: ConvInfo): Pick<OnnxGraph, 'inputs' | 'outputs'> {
  return {
    inputs: [
      { name: 'dy', shape: info.outShape },
      { name: 'w', shape: [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels] },
    ],
    outputs: [{ name: 'dx', shape: info.inShape }],
  };
}

// dx for stride 1 is itself a convolution: dy, padded by the filter's reach minus the
// forward padding, convolved with the filter flipped in space and with in/out channels
// swapped. That runs on ORT's fast Conv path; ConvTranspose (GEMM + col2im), used for
// strided convolutions, measured ~1.5x the cost of the forward pass.
function backpropInputAsConv(info: ConvInfo): OnnxGraph {
  const p = info.padInfo;
  const reachH = (info.filterHeight - 1) * info.dilationHeight;
  const reachW = (info.filterWidth - 1) * info.dilationWidth;
  return {
    ...inputGradientSignature(info),
    nodes: [
      { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attributes: { perm: NHWC_TO_NCHW } },
      // HWIO -> (I, O, H, W), then reversed along H and W.
      { op: 'Transpose', inputs: ['w'], outputs: ['wt'], attributes: { perm: [2, 3, 0, 1] } },
      { op: 'Slice', inputs: ['wt', 'starts', 'ends', 'axes', 'steps'], outputs: ['wf'] },
      {
        op: 'Conv',
        inputs: ['dyc', 'wf'],
        outputs: ['dxc'],
        attributes: {
          kernel_shape: [info.filterHeight, info.filterWidth],
          dilations: [info.dilationHeight, info.dilationWidth],
          pads: [reachH - p.top, reachW - p.left, reachH - p.bottom, reachW - p.right],
        },
      },
      { op: 'Transpose', inputs: ['dxc'], outputs: ['dx'], attributes: { perm: NCHW_TO_NHWC } },
    ],
    int64Constants: { starts: [-1, -1], ends: [-(2 ** 53), -(2 ** 53)], axes: [2, 3], steps: [-1, -1] },
  };
}

// dx = ConvTranspose(dy, w); output_padding restores rows a strided forward pass skipped.
function backpropInputAsConvTranspose(info: ConvInfo): OnnxGraph {
  const p = info.padInfo;
  const span = (out: number, stride: number, k: number, d: number) => stride * (out - 1) + (k - 1) * d + 1;
  const outputPadding = [
    info.inHeight + p.top + p.bottom - span(info.outHeight, info.strideHeight, info.filterHeight, info.dilationHeight),
    info.inWidth + p.left + p.right - span(info.outWidth, info.strideWidth, info.filterWidth, info.dilationWidth),
  ];
  return {
    ...inputGradientSignature(info),
    nodes: [
      { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attributes: { perm: NHWC_TO_NCHW } },
      { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attributes: { perm: HWIO_TO_OIHW } },
      {
        op: 'ConvTranspose',
        inputs: ['dyc', 'wc'],
        outputs: ['dxc'],
        attributes: { ...convAttributes(info), output_padding: outputPadding },
      },
      { op: 'Transpose', inputs: ['dxc'], outputs: ['dx'], attributes: { perm: NCHW_TO_NHWC } },
    ],
  };
}

const cpuBackpropInput = cpuKernel('Conv2DBackpropInput');
const conv2DBackpropInput: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { dy, filter } = args.inputs;
  if (!channelsLast(args) || !allFloat32(dy, filter)) return cpuBackpropInput(kernelArgs);
  const info = conv2dInfo(args, args.attrs.inputShape as number[], filter.shape);
  const unitStride = info.strideHeight === 1 && info.strideWidth === 1;
  const session = kernelSession(graphKey('conv-dx', convGeometry(info)), () =>
    unitStride ? backpropInputAsConv(info) : backpropInputAsConvTranspose(info),
  );
  return output(args, info.inShape, session.run([valuesOf(args, dy), valuesOf(args, filter)])[0]);
};

// dw = im2col(x)^T . dy. In NHWC, dy is already the (images*positions, O) matrix and the
// im2col columns come out in (kh, kw, i) order, which is tfjs' HWIO filter layout.
// Wide inputs: one graph of KH*KW native strided Slices of x, each multiplied by dy in a
// Gemm, concatenated into HWIO. Inputs with few channels (the RGB first layer), where those
// Gemms would be three rows tall: the im2col is built here a few images at a time and one
// Gemm accumulates (beta = 1). Expressing dw as a single ONNX Conv (x as a batch of
// channels, dy as the filter) was measured 2-3x slower than the forward pass: MLAS then
// re-reads the whole of dy once per input channel.
const SLICED_MIN_CHANNELS = 32;
const IM2COL_CHUNK_FLOATS = 8 * 1024 * 1024;
let im2colScratch = new Float32Array(0);

function backpropFilterBySlices(info: ConvInfo): OnnxGraph {
  const p = info.padInfo;
  const { inChannels: C, outChannels: O, outHeight: OH, outWidth: OW } = info;
  const rows = info.batchSize * OH * OW;
  const nodes: OnnxNode[] = [];
  const padded = p.top || p.left || p.bottom || p.right;
  if (padded) nodes.push({ op: 'Pad', inputs: ['x', 'pads'], outputs: ['xp'] });
  const blocks: string[] = [];
  const constants: Record<string, number[]> = {
    pads: [0, p.top, p.left, 0, 0, p.bottom, p.right, 0],
    axes: [1, 2],
    steps: [info.strideHeight, info.strideWidth],
    rowsByChannels: [rows, C],
  };
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const y0 = kh * info.dilationHeight;
      const x0 = kw * info.dilationWidth;
      const id = `${kh}_${kw}`;
      constants[`start${id}`] = [y0, x0];
      constants[`end${id}`] = [y0 + (OH - 1) * info.strideHeight + 1, x0 + (OW - 1) * info.strideWidth + 1];
      nodes.push(
        { op: 'Slice', inputs: [padded ? 'xp' : 'x', `start${id}`, `end${id}`, 'axes', 'steps'], outputs: [`s${id}`] },
        { op: 'Reshape', inputs: [`s${id}`, 'rowsByChannels'], outputs: [`m${id}`] },
        { op: 'Gemm', inputs: [`m${id}`, 'dy'], outputs: [`g${id}`], attributes: { transA: 1 } },
      );
      blocks.push(`g${id}`);
    }
  }
  nodes.push({ op: 'Concat', inputs: blocks, outputs: ['dw'], attributes: { axis: 0 } });
  return {
    inputs: [
      { name: 'x', shape: info.inShape },
      { name: 'dy', shape: [rows, O] },
    ],
    outputs: [{ name: 'dw', shape: [info.filterHeight * info.filterWidth * C, O] }],
    nodes,
    int64Constants: constants,
  };
}

function im2col(x: Float32Array, info: ConvInfo, firstImage: number, images: number, cols: Float32Array): void {
  const {
    inHeight: H,
    inWidth: W,
    inChannels: C,
    outHeight: OH,
    outWidth: OW,
    filterHeight: KH,
    filterWidth: KW,
  } = info;
  const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left } = info.padInfo;
  let at = 0;
  for (let n = firstImage; n < firstImage + images; n++) {
    const image = n * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        for (let kh = 0; kh < KH; kh++) {
          const iy = oy * sH - top + kh * dH;
          for (let kw = 0; kw < KW; kw++) {
            const ix = ox * sW - left + kw * dW;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
              cols.fill(0, at, at + C);
            } else {
              const from = image + (iy * W + ix) * C;
              for (let c = 0; c < C; c++) cols[at + c] = x[from + c];
            }
            at += C;
          }
        }
      }
    }
  }
}

const cpuBackpropFilter = cpuKernel('Conv2DBackpropFilter');
const conv2DBackpropFilter: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x, dy } = args.inputs;
  if (!channelsLast(args) || !allFloat32(x, dy)) return cpuBackpropFilter(kernelArgs);
  const filterShape = args.attrs.filterShape as number[];
  const info = conv2dInfo(args, x.shape, filterShape);
  if (info.inChannels >= SLICED_MIN_CHANNELS) {
    const session = kernelSession(graphKey('conv-dw-sliced', convGeometry(info)), () => backpropFilterBySlices(info));
    return output(args, filterShape, session.run([valuesOf(args, x), valuesOf(args, dy)])[0]);
  }
  const positions = info.outHeight * info.outWidth;
  const patch = info.filterHeight * info.filterWidth * info.inChannels;
  const O = info.outChannels;
  const chunk = Math.max(1, Math.min(info.batchSize, Math.floor(IM2COL_CHUNK_FLOATS / (positions * patch))));
  if (im2colScratch.length < chunk * positions * patch) im2colScratch = new Float32Array(chunk * positions * patch);
  const xs = valuesOf(args, x);
  const dys = valuesOf(args, dy);
  let dw: Float32Array = new Float32Array(patch * O);
  for (let first = 0; first < info.batchSize; first += chunk) {
    const images = Math.min(chunk, info.batchSize - first);
    const rows = images * positions;
    const session = kernelSession(graphKey('conv-dw', rows, patch, O), (): OnnxGraph => ({
      inputs: [
        { name: 'cols', shape: [rows, patch] },
        { name: 'dy', shape: [rows, O] },
        { name: 'acc', shape: [patch, O] },
      ],
      outputs: [{ name: 'dw', shape: [patch, O] }],
      nodes: [
        { op: 'Gemm', inputs: ['cols', 'dy', 'acc'], outputs: ['dw'], attributes: { transA: 1, beta: { float: 1 } } },
      ],
    }));
    const cols = im2colScratch.subarray(0, rows * patch);
    im2col(xs, info, first, images, cols);
    dw = session.run([cols, dys.subarray(first * positions * O, (first + images) * positions * O), dw])[0];
  }
  return output(args, filterShape, dw);
};

export const convKernels: Array<Omit<KernelConfig, 'backendName'>> = [
  { kernelName: 'Conv2D', kernelFunc: conv2D },
  { kernelName: 'FusedConv2D', kernelFunc: fusedConv2D },
  { kernelName: 'Conv2DBackpropInput', kernelFunc: conv2DBackpropInput },
  { kernelName: 'Conv2DBackpropFilter', kernelFunc: conv2DBackpropFilter },
];
