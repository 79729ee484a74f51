// A trained regressor as one ONNX graph (opset 13: ONNX Runtime, OpenCV's dnn, TensorRT and
// the onnx checker read it). It is built from the saved layers-format artifacts (topology JSON
// and weights), not from a live tfjs model, so the main process can export without a tfjs
// backend and prediction can skip building the tfjs model. Input and output are the tfjs
// model's: NHWC pixels and joints / input size; convolutions run in ONNX's NCHW layout, with
// the kernels transposed here once. Dropout is an inference no-op and is left out.
import type * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../../src-shared/api/define';
import { writeFileAtomic } from '../files/durable-write';
import { encodeOnnxModel, type ModelInfo, type OnnxGraph, type OnnxNode } from './onnx-model';
import { joinedWeights, readModelArtifacts } from '../pose/model-folder';
import { INT8_BLOCK, quantizeDense } from './dense-int8';
import { STUDIO_NAME, STUDIO_VERSION } from '../version';
import type { DenseWeights } from '../../../src-shared/training/protocol';

export const ONNX_INPUT = 'image';
export const ONNX_OUTPUT = 'joints';

export const EXPORT_MODEL_INFO: ModelInfo = {
  producer: STUDIO_NAME,
  producerVersion: STUDIO_VERSION,
  opset: 13,
  irVersion: 7,
  docString: `DeepPose regressor. ${ONNX_INPUT}: float32 [batch, height, width, 3], RGB in [0, 1]. ${ONNX_OUTPUT}: float32 [batch, 2 × joints], x0, y0, x1, y1, … divided by the input side.`,
};

/** The in-process prediction graph with 8-bit hidden dense layers: ONNX Runtime's contrib MatMulNBits, not for export. */
export const INT8_MODEL_INFO: ModelInfo = {
  ...EXPORT_MODEL_INFO,
  opset: 17,
  domains: [{ domain: 'com.microsoft', version: 1 }],
};

const pair = z.tuple([z.number().int().positive(), z.number().int().positive()]);
const layer = z.object({
  class_name: z.string(),
  config: z.object({
    name: z.string(),
    activation: z.string().optional(),
    padding: z.enum(['valid', 'same']).optional(),
    strides: pair.optional(),
    pool_size: pair.optional(),
    kernel_size: pair.optional(),
    dilation_rate: pair.optional(),
    data_format: z.literal('channels_last').optional(),
    use_bias: z.boolean().optional(),
    units: z.number().int().positive().optional(),
    batch_input_shape: z.array(z.number().nullable()).optional(),
  }),
});
type Layer = z.infer<typeof layer>;
const topology = z.object({
  class_name: z.literal('Sequential'),
  config: z.object({ name: z.string(), layers: z.array(layer).min(1) }),
});

/** The named float32 weights of saved artifacts. */
function weightsOf(artifacts: tf.io.ModelArtifacts): Map<string, { shape: number[]; data: Float32Array }> {
  const specs = artifacts.weightSpecs ?? [];
  // One buffer (as model folders load) is used as it is: the reference AlexNet's is 234 MB.
  const bytes = joinedWeights(artifacts);
  const total = bytes.byteLength;
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' || spec.quantization)
      throw new Error(
        `weight ${spec.name}: only unquantised float32 weights can be exported (found ${spec.quantization ? 'quantised ' : ''}${spec.dtype})`,
      );
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > total) throw new Error(`weight ${spec.name}: the weight data ends early (${total} bytes)`);
    weights.set(spec.name, { shape: spec.shape, data: new Float32Array(bytes.buffer, offset, size) });
    offset += size * 4;
  }
  return weights;
}

/** [in, out] → [out, in]: Gemm with transB=1, PyTorch's layout; OpenCV's dnn parses no other. */
function ioToOi(shape: number[], data: Float32Array): { dims: number[]; data: Float32Array } {
  const [cin, cout] = shape;
  const out = new Float32Array(data.length);
  for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[o * cin + i] = data[i * cout + o];
  return { dims: [cout, cin], data: out };
}

/** [kh, kw, in, out] → [out, in, kh, kw]. */
function hwioToOihw(shape: number[], data: Float32Array): { dims: number[]; data: Float32Array } {
  const [kh, kw, cin, cout] = shape;
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o];
  return { dims: [cout, cin, kh, kw], data: out };
}

function unsupported(l: Layer, why: string): Error {
  return new Error(
    `layer ${l.config.name} (${l.class_name}): ${why}; the ONNX export covers the studio's AlexNet regressors`,
  );
}

/** The saved topology as the layers the export knows; a readable error for anything else. */
function topologyOf(artifacts: tf.io.ModelArtifacts): z.infer<typeof topology>['config'] {
  const parsed = topology.safeParse(artifacts.modelTopology);
  if (!parsed.success)
    throw new Error(
      `not a Sequential model of the studio's layers: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`,
    );
  return parsed.data.config;
}

function shapeOf(layers: Layer[]): { input: number; outputs: number } {
  const [, height, width, channels] = layers[0].config.batch_input_shape ?? [];
  const units = layers.findLast((l) => l.class_name === 'Dense')?.config.units;
  if (!height || height !== width || channels !== 3 || !units || units % 2 !== 0) {
    throw new Error(
      `not a DeepPose regressor (input ${JSON.stringify(layers[0].config.batch_input_shape)}, output ${String(units)})`,
    );
  }
  return { input: height, outputs: units };
}

/** The model's input side and output width, read from its saved topology. */
export function regressorShape(artifacts: tf.io.ModelArtifacts): { input: number; outputs: number } {
  return shapeOf(topologyOf(artifacts).layers);
}

/**
 * The ONNX graph of a saved Sequential DeepPose regressor, with its input side and output width.
 * `dense: 'int8'` stores the hidden dense layers' weights as 8-bit codes (the last, which
 * regresses the joints, stays float32); such a graph needs ONNX Runtime (INT8_MODEL_INFO).
 */
export function regressorOnnx(
  artifacts: tf.io.ModelArtifacts,
  dense: DenseWeights = 'float32',
): { graph: OnnxGraph; input: number; outputs: number } {
  const { name: modelName, layers } = topologyOf(artifacts);
  const { input, outputs } = shapeOf(layers);
  const weights = weightsOf(artifacts);
  const nodes: OnnxNode[] = [
    {
      op: 'Transpose',
      name: 'to_nchw',
      inputs: [ONNX_INPUT],
      outputs: ['image_nchw'],
      attributes: { perm: [0, 3, 1, 2] },
    },
  ];
  const floatConstants: NonNullable<OnnxGraph['floatConstants']> = {};
  const uint8Constants: NonNullable<OnnxGraph['uint8Constants']> = {};
  const lastDense = layers.findLast((l) => l.class_name === 'Dense');
  let current = 'image_nchw';
  let flat = false;
  const add = (node: OnnxNode) => {
    nodes.push(node);
    current = node.outputs[0];
  };
  const weight = (l: Layer, part: 'kernel' | 'bias') => {
    const w = weights.get(`${l.config.name}/${part}`);
    if (!w) throw unsupported(l, `no ${part} weights in the saved model`);
    return w;
  };
  /** The layer's kernel (and bias) as initializers; answers the node inputs. */
  const parameters = (
    l: Layer,
    kernel: (w: { shape: number[]; data: Float32Array }) => { dims: number[]; data: Float32Array },
  ) => {
    const name = l.config.name;
    floatConstants[`${name}.weight`] = kernel(weight(l, 'kernel'));
    if (l.config.use_bias === false) return [current, `${name}.weight`];
    const bias = weight(l, 'bias');
    floatConstants[`${name}.bias`] = { dims: bias.shape, data: bias.data };
    return [current, `${name}.weight`, `${name}.bias`];
  };
  const activate = (l: Layer) => {
    const activation = l.config.activation;
    if (activation === 'relu')
      add({ op: 'Relu', name: `${l.config.name}_relu`, inputs: [current], outputs: [`${l.config.name}_relu`] });
    else if (activation && activation !== 'linear') throw unsupported(l, `activation ${activation}`);
  };

  for (const l of layers) {
    const { name, padding, strides } = l.config;
    const autoPad = padding === 'same' ? 'SAME_UPPER' : 'VALID'; // TF's 'same' puts the odd pixel after
    if (l.class_name === 'Conv2D') {
      if (flat) throw unsupported(l, 'a convolution after Flatten');
      if (l.config.dilation_rate?.some((d) => d !== 1)) throw unsupported(l, 'dilated convolution');
      const inputs = parameters(l, (w) => hwioToOihw(w.shape, w.data));
      add({
        op: 'Conv',
        name,
        inputs,
        outputs: [name],
        attributes: { kernel_shape: l.config.kernel_size!, strides: strides ?? [1, 1], auto_pad: autoPad },
      });
      activate(l);
    } else if (l.class_name === 'MaxPooling2D') {
      add({
        op: 'MaxPool',
        name,
        inputs: [current],
        outputs: [name],
        attributes: { kernel_shape: l.config.pool_size!, strides: strides ?? l.config.pool_size!, auto_pad: autoPad },
      });
    } else if (l.class_name === 'Flatten') {
      // tfjs flattens channels-last: back to NHWC first so the dense rows line up.
      nodes.push({
        op: 'Transpose',
        name: `${name}_to_nhwc`,
        inputs: [current],
        outputs: [`${name}_nhwc`],
        attributes: { perm: [0, 2, 3, 1] },
      });
      current = `${name}_nhwc`;
      add({ op: 'Flatten', name, inputs: [current], outputs: [name], attributes: { axis: 1 } });
      flat = true;
    } else if (l.class_name === 'Dense') {
      if (!flat) throw unsupported(l, 'a dense layer before Flatten');
      if (dense === 'int8' && l !== lastDense) {
        const kernel = weight(l, 'kernel');
        const q = quantizeDense(kernel.shape, kernel.data);
        uint8Constants[`${name}.codes`] = q.codes;
        floatConstants[`${name}.scales`] = q.scales;
        uint8Constants[`${name}.zero_points`] = q.zeroPoints;
        const [K, N] = kernel.shape;
        // accuracy_level 4: int8 products (the input quantised per block of 32 too), ORT's fast path.
        const attributes = { K, N, bits: 8, block_size: INT8_BLOCK, accuracy_level: 4 };
        add({
          op: 'MatMulNBits',
          domain: 'com.microsoft',
          name,
          inputs: [current, `${name}.codes`, `${name}.scales`, `${name}.zero_points`],
          outputs: [name],
          attributes,
        });
        if (l.config.use_bias !== false) {
          const bias = weight(l, 'bias');
          floatConstants[`${name}.bias`] = { dims: bias.shape, data: bias.data };
          add({ op: 'Add', name: `${name}_bias`, inputs: [current, `${name}.bias`], outputs: [`${name}_bias`] });
        }
      } else {
        const inputs = parameters(l, (w) => ioToOi(w.shape, w.data));
        add({ op: 'Gemm', name, inputs, outputs: [name], attributes: { transB: 1 } });
      }
      activate(l);
    } else if (l.class_name !== 'Dropout') {
      throw unsupported(l, 'no ONNX equivalent written');
    }
  }
  if (!flat) throw new Error('the model does not end in dense layers');
  nodes[nodes.length - 1].outputs = [ONNX_OUTPUT];
  const graph: OnnxGraph = {
    name: modelName,
    inputs: [{ name: ONNX_INPUT, shape: ['batch', input, input, 3] }],
    outputs: [{ name: ONNX_OUTPUT, shape: ['batch', outputs] }],
    nodes,
    floatConstants,
    uint8Constants,
  };
  return { graph, input, outputs };
}

/** Writes a model folder's network as an ONNX file (temp file, then rename). */
export async function writeOnnxExport(
  modelDir: string,
  path: string,
): Promise<{ path: string; bytes: number; params: number; input: number }> {
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = readModelArtifacts(modelDir);
  } catch (error) {
    throw new StudioError('not-found', `${modelDir}: cannot read the model (${(error as Error).message})`);
  }
  let graph: OnnxGraph;
  let input: number;
  try {
    ({ graph, input } = regressorOnnx(artifacts));
  } catch (error) {
    throw new StudioError('bad-input', `${modelDir}: cannot export to ONNX: ${(error as Error).message}`);
  }
  const bytes = encodeOnnxModel(graph, EXPORT_MODEL_INFO);
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, bytes);
  const params = Object.values(graph.floatConstants ?? {}).reduce((n, c) => n + c.data.length, 0);
  return { path: target, bytes: bytes.length, params, input };
}
