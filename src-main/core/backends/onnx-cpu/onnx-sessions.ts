// One cached ONNX Runtime session per kernel graph key (op + shapes + attributes): the
// onnx-cpu backend's kernels build their graph on first use and reuse the compiled session.
import type { OnnxGraph } from '../../onnx/onnx-model';
import { OnnxSession } from '../../onnx/onnx-runtime';

export class KernelSession {
  private readonly inputs: Array<{ name: string; shape: number[] }>;
  private readonly outputs: Array<{ name: string; shape: number[] }>;

  constructor(
    private readonly session: OnnxSession,
    graph: OnnxGraph,
  ) {
    // Kernel graphs have static shapes only.
    this.inputs = graph.inputs.map((i) => ({ name: i.name, shape: i.shape as number[] }));
    this.outputs = graph.outputs.map((o) => ({ name: o.name, shape: o.shape as number[] }));
  }

  /** Runs the graph on the given inputs (in graph input order); outputs are fresh arrays. */
  run(inputs: Float32Array[]): Float32Array[] {
    return this.session.run(
      this.inputs.map((input, i) => ({ ...input, data: inputs[i] })),
      this.outputs,
    );
  }
}

const cache = new Map<string, KernelSession>();

/** The session for `key`, building and compiling its graph on first use. */
export function kernelSession(key: string, build: () => OnnxGraph): KernelSession {
  let session = cache.get(key);
  if (!session) {
    const graph = build();
    session = new KernelSession(OnnxSession.fromGraph(graph), graph);
    cache.set(key, session);
  }
  return session;
}
