// Writes the few parts of the ONNX protobuf schema (onnx.proto3) that our kernel graphs need:
// ModelProto > GraphProto > NodeProto / AttributeProto / TensorProto / ValueInfoProto.
// Each kernel is one tiny graph, so a hand-rolled writer beats carrying a protobuf library.

const FLOAT = 1;
const INT64 = 7;

/** Protobuf wire encoder: fields are appended in call order, nested messages as byte blocks. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number | bigint): void {
    // int64 fields: negatives are encoded as their 64-bit two's complement (10 bytes).
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const buf = new DataView(new ArrayBuffer(4));
    buf.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.bytes.push(buf.getUint8(i));
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export type AttributeValue = number | number[] | string | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxGraph {
  /** Float32 graph inputs with their static shapes. */
  inputs: Array<{ name: string; shape: number[] }>;
  outputs: Array<{ name: string; shape: number[] }>;
  nodes: OnnxNode[];
  /** Constant int64 tensors (shapes, axes, slice bounds). */
  int64Constants?: Record<string, number[]>;
}

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === 'string') w.bytesField(4, new TextEncoder().encode(value)).int(20, 3);
  else if (typeof value === 'number') w.int(3, value).int(20, 2);
  else if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    w.int(20, 7);
  } else w.float(2, value.float).int(20, 1);
}

function writeValueInfo(w: ProtoWriter, name: string, shape: number[]): void {
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (s) => {
        for (const d of shape) s.message(1, (dim) => dim.int(1, d));
      }),
    ),
  );
}

/** Serialises a single-graph model (IR 8, default domain opset 18). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  return new ProtoWriter()
    .int(1, 8)
    .string(2, 'deeppose-onnx-cpu')
    .message(7, (g) => {
      for (const node of graph.nodes) {
        g.message(1, (n) => {
          for (const i of node.inputs) n.string(1, i);
          for (const o of node.outputs) n.string(2, o);
          n.string(4, node.op);
          for (const [key, value] of Object.entries(node.attributes ?? {})) n.message(5, (a) => writeAttribute(a, key, value));
        });
      }
      g.string(2, 'kernel');
      for (const [name, values] of Object.entries(graph.int64Constants ?? {})) {
        g.message(5, (t) => {
          t.int(1, values.length).int(2, INT64);
          for (const v of values) t.int(7, v);
          t.string(8, name);
        });
      }
      for (const input of graph.inputs) g.message(11, (v) => writeValueInfo(v, input.name, input.shape));
      for (const output of graph.outputs) g.message(12, (v) => writeValueInfo(v, output.name, output.shape));
    })
    .message(8, (o) => o.string(1, '').int(2, 18))
    .finish();
}
