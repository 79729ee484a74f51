// One training step of a DeepPose regressor as a single ONNX graph in standard operators:
// forward (NCHW convolutions, MaxPool with its Indices), the reference loss with the
// visibility mask, the backward pass written out by hand, and the optimizer update.
//
// Inputs:  pixels [B,S,S,3] (NHWC, as the data pipeline makes them), targets [B,2J],
//          mask [B,J], dropoutK [B,U] (tf.dropout's multipliers, fed so a step is
//          reproducible and equal to the tfjs path's), the optimizer's scalars, and every
//          weight in tfjs' layout (HWIO kernels, [in,out] dense) with its optimizer slots.
// Outputs: loss [] and the next weights and slots, in the same layouts, so the runner can
//          bind each one to its input's array (an in-place update, ordered safely by
//          optimizer-nodes.ts) and tfjs can take the values as they are.
//
// Gradient formulations are the ones the onnx-cpu kernels measured fastest here
// (backends/onnx-cpu/conv-kernels.ts): dx of a unit-stride convolution as a Conv with the
// flipped filter; dw of a wide layer as KH·KW strided slices of the NHWC input, each one
// Gemm against dy; dw of the RGB layer as one Conv with batch and channels swapped (its
// three input channels make the sliced Gemms three rows tall). The max-pool gradient is a
// ScatterElements with reduction 'add' at MaxPool's indices (overlapping 3/2 windows can
// pick the same pixel twice).
import type { OnnxGraph } from '../../onnx/onnx-model';
import { GraphBuilder } from './graph-builder';
import type { LayerPlan, PlannedLayer } from '../layer-plan';
import { addUpdate } from './optimizer-nodes';
import { HYPERPARAMETERS } from '../step-common';
import { SLOTS, type OptimizerKind } from '../train-step';

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const HWIO_TO_OIHW = [3, 2, 0, 1];
/** Input channels below which a layer's dw runs as one Conv instead of sliced Gemms. */
const SLICED_MIN_CHANNELS = 32;

export const weightInput = (i: number) => `w${i}`;
export const weightOutput = (i: number) => `w${i}_next`;
export const stateInput = (i: number, s: number) => `s${i}_${s}`;
export const stateOutput = (i: number, s: number) => `s${i}_${s}_next`;
export const dropoutInput = (k: number) => `dropout${k}`;

type Conv = Extract<PlannedLayer, { kind: 'conv' }>;
type ConvInfo = Conv['info'];

interface Record_ {
  layer: PlannedLayer;
  input: string;
  output: string;
  /** Index of the layer's kernel in the plan's variables (bias is the next). */
  variable: number;
  indices?: string;
}

function convAttributes(info: ConvInfo) {
  const p = info.padInfo;
  return {
    kernel_shape: [info.filterHeight, info.filterWidth],
    strides: [info.strideHeight, info.strideWidth],
    dilations: [1, 1],
    pads: [p.top, p.left, p.bottom, p.right],
  };
}

/** ReLU's gradient: dy where the activation is positive (tfjs: dy · step(x)). */
function reluGradient(b: GraphBuilder, activation: string, dy: string): string {
  return b.node('Where', [b.node('Greater', [activation, b.scalar(0)]), dy, b.scalar(0)]);
}

function filterGradientBySlices(b: GraphBuilder, info: ConvInfo, xNchw: string, dyRows: string): string {
  const p = info.padInfo;
  const { inChannels: C, outHeight: OH, outWidth: OW } = info;
  const rows = info.batchSize * OH * OW;
  let x = b.node('Transpose', [xNchw], { perm: NCHW_TO_NHWC });
  if (p.top || p.left || p.bottom || p.right)
    x = b.node('Pad', [x, b.int([0, p.top, p.left, 0, 0, p.bottom, p.right, 0])]);
  const blocks: string[] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const slice = b.node('Slice', [
        x,
        b.int([kh, kw]),
        b.int([kh + (OH - 1) * info.strideHeight + 1, kw + (OW - 1) * info.strideWidth + 1]),
        b.int([1, 2]),
        b.int([info.strideHeight, info.strideWidth]),
      ]);
      blocks.push(b.node('Gemm', [b.node('Reshape', [slice, b.int([rows, C])]), dyRows], { transA: 1 }));
    }
  }
  return b.node('Reshape', [
    b.node('Concat', blocks, { axis: 0 }),
    b.int([info.filterHeight, info.filterWidth, C, info.outChannels]),
  ]);
}

function filterGradientByConv(b: GraphBuilder, info: ConvInfo, xNchw: string, dyNchw: string): string {
  const p = info.padInfo;
  // x as C images of B channels, dy as O filters of B channels: the result is [C, O, kh', kw'].
  const xt = b.node('Transpose', [xNchw], { perm: [1, 0, 2, 3] });
  const dyt = b.node('Transpose', [dyNchw], { perm: [1, 0, 2, 3] });
  let dw = b.node('Conv', [xt, dyt], {
    kernel_shape: [info.outHeight, info.outWidth],
    dilations: [info.strideHeight, info.strideWidth],
    strides: [1, 1],
    pads: [p.top, p.left, p.bottom, p.right],
  });
  // Rows the forward stride never reached come out beyond the kernel: cut them.
  const reachH = info.inHeight + p.top + p.bottom - (info.outHeight - 1) * info.strideHeight;
  const reachW = info.inWidth + p.left + p.right - (info.outWidth - 1) * info.strideWidth;
  if (reachH !== info.filterHeight || reachW !== info.filterWidth)
    dw = b.node('Slice', [dw, b.int([0, 0]), b.int([info.filterHeight, info.filterWidth]), b.int([2, 3])]);
  return b.node('Transpose', [dw], { perm: [2, 3, 0, 1] });
}

function inputGradient(b: GraphBuilder, info: ConvInfo, kernel: string, dy: string): string {
  const p = info.padInfo;
  if (info.strideHeight === 1 && info.strideWidth === 1) {
    const reachH = info.filterHeight - 1;
    const reachW = info.filterWidth - 1;
    const swapped = b.node('Transpose', [kernel], { perm: [2, 3, 0, 1] });
    const flipped = b.node('Slice', [
      swapped,
      b.int([-1, -1]),
      b.int([-(2 ** 53), -(2 ** 53)]),
      b.int([2, 3]),
      b.int([-1, -1]),
    ]);
    return b.node('Conv', [dy, flipped], {
      kernel_shape: [info.filterHeight, info.filterWidth],
      pads: [reachH - p.top, reachW - p.left, reachH - p.bottom, reachW - p.right],
    });
  }
  const span = (out: number, stride: number, k: number) => stride * (out - 1) + k;
  const outputPadding = [
    info.inHeight + p.top + p.bottom - span(info.outHeight, info.strideHeight, info.filterHeight),
    info.inWidth + p.left + p.right - span(info.outWidth, info.strideWidth, info.filterWidth),
  ];
  const oihw = b.node('Transpose', [kernel], { perm: HWIO_TO_OIHW });
  return b.node('ConvTranspose', [dy, oihw], { ...convAttributes(info), output_padding: outputPadding });
}

function poolGradient(b: GraphBuilder, info: ConvInfo, indices: string, dy: string): string {
  const [n, h, w, c] = info.inShape;
  const total = n * h * w * c;
  const zeros = b.node('ConstantOfShape', [b.int([total])]);
  const flat = (t: string) => b.node('Reshape', [t, b.int([-1])]);
  const summed = b.node('ScatterElements', [zeros, flat(indices), flat(dy)], { axis: 0, reduction: 'add' });
  return b.node('Reshape', [summed, b.int([n, c, h, w])]);
}

export interface StepGraph {
  graph: OnnxGraph;
  /** Scalar inputs of the optimizer, by name. */
  hyperparameters: string[];
  slots: number;
  dropouts: Array<{ index: number; rate: number; units: number }>;
}

/** `momentum`: MomentumSGD's factor, fixed in the graph where it folds into a Gemm. */
export function buildStepGraph(plan: LayerPlan, kind: OptimizerKind, momentum?: number): StepGraph {
  const b = new GraphBuilder();
  const B = plan.batch;
  const joints = plan.outputs / 2;
  const records: Record_[] = [];
  let h = b.node('Transpose', ['pixels'], { perm: NHWC_TO_NCHW });
  let variable = 0;
  for (const layer of plan.layers) {
    const input = h;
    let indices: string | undefined;
    const at = variable;
    if (layer.kind === 'conv') {
      const oihw = b.node('Transpose', [weightInput(variable)], { perm: HWIO_TO_OIHW });
      h = b.node('Conv', [h, oihw, weightInput(variable + 1)], convAttributes(layer.info));
      if (layer.relu) h = b.node('Relu', [h]);
      variable += 2;
    } else if (layer.kind === 'pool') {
      const p = layer.info.padInfo;
      [h, indices] = b.nodeN(
        'MaxPool',
        [h],
        {
          kernel_shape: [layer.info.filterHeight, layer.info.filterWidth],
          strides: [layer.info.strideHeight, layer.info.strideWidth],
          pads: [p.top, p.left, p.bottom, p.right],
        },
        2,
      );
    } else if (layer.kind === 'flatten') {
      h = b.node('Reshape', [b.node('Transpose', [h], { perm: NCHW_TO_NHWC }), b.int([B, -1])]);
    } else if (layer.kind === 'dense') {
      h = b.node('Gemm', [h, weightInput(variable), weightInput(variable + 1)]);
      if (layer.relu) h = b.node('Relu', [h]);
      variable += 2;
    } else {
      h = b.node('Mul', [h, dropoutInput(layer.index)]);
    }
    records.push({ layer, input, output: h, variable: at, indices });
  }

  // Loss: Σ mask · ((dx)² + (dy)²) / max(1, Σ mask), as loss.ts.
  const diff = b.node('Reshape', [b.node('Sub', [h, 'targets']), b.int([B, joints, 2])]);
  const perJoint = b.node('ReduceSum', [b.node('Mul', [diff, diff]), b.int([2])], { keepdims: 0 });
  const count = b.node('Max', [b.node('ReduceSum', ['mask'], { keepdims: 0 }), b.scalar(1)]);
  b.node('Div', [b.node('ReduceSum', [b.node('Mul', [perJoint, 'mask'])], { keepdims: 0 }), count], {}, 'loss');
  // dloss/dy = 2 · (y − t) · mask / count.
  const maskPairs = b.node('Unsqueeze', ['mask', b.int([2])]);
  let g = b.node('Reshape', [
    b.node('Mul', [b.node('Mul', [diff, maskPairs]), b.node('Div', [b.scalar(2), count])]),
    b.int([B, plan.outputs]),
  ]);

  // Each layer's update is emitted as soon as its gradients exist, so ORT's planner can free
  // a gradient (151 MB for fc6 at batch 32) before the next layer's is made.
  const slots = SLOTS[kind].length;
  const gradients: string[] = new Array(plan.variables.length);
  const update = (i: number, after?: string, gemm?: { a: string; b: string }) =>
    addUpdate(b, kind, {
      weight: weightInput(i),
      after,
      gemm: gemm && momentum !== undefined ? { ...gemm, momentum } : undefined,
      gradient: gradients[i],
      state: Array.from({ length: slots }, (_, s) => stateInput(i, s)),
      nextWeight: weightOutput(i),
      nextState: Array.from({ length: slots }, (_, s) => stateOutput(i, s)),
    });
  const firstTrainable = records.findIndex((r) => r.layer.kind === 'conv' || r.layer.kind === 'dense');
  for (let r = records.length - 1; r > firstTrainable; r--) {
    const { layer, input, output, variable: v, indices } = records[r];
    if (layer.kind === 'dropout') {
      g = b.node('Mul', [g, dropoutInput(layer.index)]);
    } else if (layer.kind === 'dense') {
      if (layer.relu) g = reluGradient(b, output, g);
      const folded = kind === 'momentum' && momentum !== undefined;
      if (!folded) gradients[v] = b.node('Gemm', [input, g], { transA: 1 });
      gradients[v + 1] = b.node('ReduceSum', [g, b.int([0])], { keepdims: 0 });
      const dy = g;
      g = b.node('Gemm', [g, weightInput(v)], { transB: 1 });
      update(v, g, folded ? { a: input, b: dy } : undefined);
      update(v + 1);
    } else if (layer.kind === 'flatten') {
      const [fh, fw, fc] = layer.shape;
      g = b.node('Transpose', [b.node('Reshape', [g, b.int([B, fh, fw, fc])])], { perm: NHWC_TO_NCHW });
    } else if (layer.kind === 'pool') {
      g = poolGradient(b, layer.info, indices!, g);
    } else {
      ({ g } = convBackward(b, layer, input, output, v, g, gradients, true));
      update(v, g);
      update(v + 1);
    }
  }
  const first = records[firstTrainable];
  if (first.layer.kind !== 'conv') throw new Error('the whole-step graph expects a convolution first');
  convBackward(b, first.layer, first.input, first.output, first.variable, g, gradients, false);
  update(first.variable);
  update(first.variable + 1);

  const dropouts = plan.layers.flatMap((l) =>
    l.kind === 'dropout' ? [{ index: l.index, rate: l.rate, units: l.units }] : [],
  );
  const hyperparameters = HYPERPARAMETERS[kind];
  const inputs: OnnxGraph['inputs'] = [
    { name: 'pixels', shape: [B, plan.input, plan.input, 3] },
    { name: 'targets', shape: [B, plan.outputs] },
    { name: 'mask', shape: [B, joints] },
    ...dropouts.map((d) => ({ name: dropoutInput(d.index), shape: [B, d.units] })),
    ...hyperparameters.map((name) => ({ name, shape: [] })),
    ...plan.variables.flatMap((v, i) => [
      { name: weightInput(i), shape: v.shape },
      ...Array.from({ length: slots }, (_, s) => ({ name: stateInput(i, s), shape: v.shape })),
    ]),
  ];
  const outputs: OnnxGraph['outputs'] = [
    { name: 'loss', shape: [] },
    ...plan.variables.flatMap((v, i) => [
      { name: weightOutput(i), shape: v.shape },
      ...Array.from({ length: slots }, (_, s) => ({ name: stateOutput(i, s), shape: v.shape })),
    ]),
  ];
  return { graph: b.graph(inputs, outputs, `deeppose-train-step-${kind}`), hyperparameters, slots, dropouts };
}

function convBackward(
  b: GraphBuilder,
  layer: Conv,
  input: string,
  output: string,
  v: number,
  dy: string,
  gradients: string[],
  needInput: boolean,
): { g: string } {
  const g = layer.relu ? reluGradient(b, output, dy) : dy;
  const info = layer.info;
  if (info.inChannels >= SLICED_MIN_CHANNELS) {
    const rows = b.node('Reshape', [b.node('Transpose', [g], { perm: NCHW_TO_NHWC }), b.int([-1, info.outChannels])]);
    gradients[v] = filterGradientBySlices(b, info, input, rows);
    gradients[v + 1] = b.node('ReduceSum', [rows, b.int([0])], { keepdims: 0 });
  } else {
    gradients[v] = filterGradientByConv(b, info, input, g);
    gradients[v + 1] = b.node('ReduceSum', [g, b.int([0, 2, 3])], { keepdims: 0 });
  }
  return { g: needInput ? inputGradient(b, info, weightInput(v), g) : g };
}
