// A small helper for writing ONNX graphs by hand: fresh tensor names, and int64/float
// constants registered once by value.
import type { AttributeValue, OnnxGraph, OnnxNode } from '../../onnx/onnx-model';

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  private readonly ints: Record<string, number[]> = {};
  private readonly floats: NonNullable<OnnxGraph['floatConstants']> = {};
  private readonly known = new Map<string, string>();
  private count = 0;

  /** Adds a node; answers its output names (fresh unless `outputs` names them). */
  nodeN(
    op: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    outputs: number | string[] = 1,
  ): string[] {
    const names =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => `${op.toLowerCase()}_${this.count++}`)
        : outputs;
    // Named after its first output, so ORT's profiles point back at the graph.
    this.nodes.push({ op, inputs, outputs: names, attributes, name: names[0] });
    return names;
  }

  node(op: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, output?: string): string {
    return this.nodeN(op, inputs, attributes, output ? [output] : 1)[0];
  }

  /** An int64 constant (shapes, axes, slice bounds). */
  int(values: number[]): string {
    const key = `i:${values.join(',')}`;
    let name = this.known.get(key);
    if (!name) {
      name = `const_i${this.count++}`;
      this.ints[name] = values;
      this.known.set(key, name);
    }
    return name;
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    const key = `f:${value}`;
    let name = this.known.get(key);
    if (!name) {
      name = `const_f${this.count++}`;
      this.floats[name] = { dims: [], data: new Float32Array([value]) };
      this.known.set(key, name);
    }
    return name;
  }

  graph(inputs: OnnxGraph['inputs'], outputs: OnnxGraph['outputs'], name: string): OnnxGraph {
    return { name, inputs, outputs, nodes: this.nodes, int64Constants: this.ints, floatConstants: this.floats };
  }
}
