// Writes the parts of the ONNX protobuf schema (onnx.proto3) that the studio needs:
// ModelProto > GraphProto > NodeProto / AttributeProto / TensorProto / ValueInfoProto.
// Both the onnx-cpu backend's one-kernel graphs and whole exported models go through here,
// so a hand-rolled writer beats carrying a protobuf library.
import { ProtoWriter } from './proto-writer';

const FLOAT = 1;
const UINT8 = 2;
const INT64 = 7;

export type AttributeValue = number | number[] | string | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
  name?: string;
  /** An operator set other than ONNX's own (e.g. 'com.microsoft'); the model must import it (ModelInfo.domains). */
  domain?: string;
}

/** A dimension is a fixed size or a symbolic name (e.g. 'batch'). */
export type Dim = number | string;

export interface OnnxGraph {
  name?: string;
  /** Float32 graph inputs with their shapes. */
  inputs: Array<{ name: string; shape: Dim[] }>;
  outputs: Array<{ name: string; shape: Dim[] }>;
  nodes: OnnxNode[];
  /** Constant int64 tensors (shapes, axes, slice bounds). */
  int64Constants?: Record<string, number[]>;
  /** Constant float32 tensors (weights), stored as raw little-endian bytes. */
  floatConstants?: Record<string, { dims: number[]; data: Float32Array }>;
  /** Constant uint8 tensors (quantised weights). */
  uint8Constants?: Record<string, { dims: number[]; data: Uint8Array }>;
}

export interface ModelInfo {
  producer: string;
  producerVersion?: string;
  /** Default-domain opset; kernel graphs use 18, exported models an older one for reach. */
  opset: number;
  irVersion: number;
  docString?: string;
  /** Operator sets beyond the default domain, with their versions. */
  domains?: Array<{ domain: string; version: number }>;
}

const KERNEL_MODEL: ModelInfo = { producer: 'deeppose-onnx-cpu', opset: 18, irVersion: 8 };

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === 'string') w.bytesField(4, new TextEncoder().encode(value)).int(20, 3);
  else if (typeof value === 'number') w.int(3, value).int(20, 2);
  else if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    w.int(20, 7);
  } else w.float(2, value.float).int(20, 1);
}

function writeValueInfo(w: ProtoWriter, name: string, shape: Dim[]): void {
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (s) => {
        for (const d of shape) s.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }),
    ),
  );
}

// ONNX raw_data is little-endian, as every platform the studio runs on is; guard the
// assumption rather than swap bytes.
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

function littleEndianBytes(data: Float32Array): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('big-endian hosts are not supported by the ONNX writer');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Serialises a single-graph model. */
export function encodeOnnxModel(graph: OnnxGraph, info: ModelInfo = KERNEL_MODEL): Uint8Array {
  const model = new ProtoWriter().int(1, info.irVersion).string(2, info.producer);
  if (info.producerVersion) model.string(3, info.producerVersion);
  if (info.docString) model.string(6, info.docString);
  model
    .message(7, (g) => {
      for (const node of graph.nodes) {
        g.message(1, (n) => {
          for (const i of node.inputs) n.string(1, i);
          for (const o of node.outputs) n.string(2, o);
          if (node.name) n.string(3, node.name);
          n.string(4, node.op);
          if (node.domain) n.string(7, node.domain);
          for (const [key, value] of Object.entries(node.attributes ?? {}))
            n.message(5, (a) => writeAttribute(a, key, value));
        });
      }
      g.string(2, graph.name ?? 'kernel');
      for (const [name, values] of Object.entries(graph.int64Constants ?? {})) {
        g.message(5, (t) => {
          t.int(1, values.length).int(2, INT64);
          for (const v of values) t.int(7, v);
          t.string(8, name);
        });
      }
      for (const [name, { dims, data }] of Object.entries(graph.floatConstants ?? {})) {
        g.message(5, (t) => {
          for (const d of dims) t.int(1, d);
          t.int(2, FLOAT).string(8, name).bytesField(9, littleEndianBytes(data));
        });
      }
      for (const [name, { dims, data }] of Object.entries(graph.uint8Constants ?? {})) {
        g.message(5, (t) => {
          for (const d of dims) t.int(1, d);
          t.int(2, UINT8).string(8, name).bytesField(9, data);
        });
      }
      for (const input of graph.inputs) g.message(11, (v) => writeValueInfo(v, input.name, input.shape));
      for (const output of graph.outputs) g.message(12, (v) => writeValueInfo(v, output.name, output.shape));
    })
    .message(8, (o) => o.string(1, '').int(2, info.opset));
  for (const d of info.domains ?? []) model.message(8, (o) => o.string(1, d.domain).int(2, d.version));
  return model.finish();
}
