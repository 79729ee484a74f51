// Synchronous ONNX Runtime sessions for tfjs kernels (which must return synchronously).
// onnxruntime-node's public InferenceSession only wraps the native binding's blocking
// `run` in setImmediate + Promise, so we drive the binding directly: same native code,
// no event-loop round trip. Sessions are cached per graph key (op + shapes + attributes).
import { createRequire } from 'node:module';
import { encodeOnnxModel, type OnnxGraph } from './onnx-model';

interface OrtTensorLike {
  readonly data: Float32Array;
}
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, OrtTensorLike>, fetches: Record<string, OrtTensorLike | null>, options: object): Record<string, OrtTensorLike>;
}
interface OrtNode {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}
type OrtTensorClass = new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensorLike;

let ort: { node: OrtNode; Tensor: OrtTensorClass } | undefined;

/** Loads the native binding once; throws (with the loader's reason) where it cannot load. */
export function loadOnnxRuntime(): void {
  if (ort) return;
  const require = createRequire(import.meta.url);
  // The binding file is not in the package's public surface, but it is the module the
  // package's own backend uses; resolve onnxruntime-common from there so the Tensor class
  // we pass is the one the binding was initialised with.
  const nodeRequire = createRequire(require.resolve('onnxruntime-node'));
  const node = nodeRequire('./binding') as OrtNode;
  const common = createRequire(nodeRequire.resolve('./binding'))('onnxruntime-common') as { Tensor: OrtTensorClass };
  node.initOrt();
  ort = { node, Tensor: common.Tensor };
}

// Two intra-op threads (the machine has two cores); no spinning so that the idle pool
// threads of the many small sessions do not steal the core tfjs' JS kernels run on.
const sessionOptions = {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

export class KernelSession {
  private readonly inputs: Array<{ name: string; shape: number[] }>;
  private readonly outputs: Array<{ name: string; size: number; shape: number[] }>;

  constructor(
    private readonly native: NativeSession,
    graph: OnnxGraph,
  ) {
    this.inputs = graph.inputs;
    this.outputs = graph.outputs.map((o) => ({ name: o.name, shape: o.shape, size: o.shape.reduce((a, b) => a * b, 1) }));
  }

  /** Runs the graph on the given inputs (in graph input order); outputs are fresh arrays. */
  run(inputs: Float32Array[]): Float32Array[] {
    const { Tensor } = ort!;
    const feeds: Record<string, OrtTensorLike> = {};
    this.inputs.forEach((input, i) => {
      feeds[input.name] = new Tensor('float32', inputs[i], input.shape);
    });
    // Preallocated outputs: ORT writes straight into the arrays tfjs will own. They are
    // left uninitialised (ORT overwrites every element), saving a zero-fill pass.
    const fetches: Record<string, OrtTensorLike> = {};
    const results = this.outputs.map((o) => new Float32Array(Buffer.allocUnsafeSlow(o.size * 4).buffer, 0, o.size));
    this.outputs.forEach((o, i) => {
      fetches[o.name] = new Tensor('float32', results[i], o.shape);
    });
    this.native.run(feeds, fetches, {});
    return results;
  }
}

const cache = new Map<string, KernelSession>();

/** The session for `key`, building and compiling its graph on first use. */
export function kernelSession(key: string, build: () => OnnxGraph): KernelSession {
  let session = cache.get(key);
  if (!session) {
    loadOnnxRuntime();
    const graph = build();
    const bytes = encodeOnnxModel(graph);
    const native = new ort!.node.binding.InferenceSession();
    native.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, sessionOptions);
    session = new KernelSession(native, graph);
    cache.set(key, session);
  }
  return session;
}
