// Synchronous ONNX Runtime sessions. onnxruntime-node's public InferenceSession only wraps
// the native binding's blocking `run` in setImmediate + Promise; tfjs kernels must return
// synchronously, and a batch-1 prediction gains nothing from the event-loop round trip, so
// we drive the binding directly: same native code, same options.
import { createRequire } from 'node:module';
import { encodeOnnxModel, type ModelInfo, type OnnxGraph } from './onnx-model';
import { threadCount } from '../parallelism';

interface OrtTensorLike {
  readonly data: Float32Array;
}
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, OrtTensorLike>,
    fetches: Record<string, OrtTensorLike | null>,
    options: object,
  ): Record<string, OrtTensorLike>;
  endProfiling(): void;
  dispose(): void;
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

// Intra-op threads: the studio's thread count (parallelism.ts), read when a session is made.
// No spinning, so that idle pool threads do not steal the cores that JavaScript (tfjs' own
// kernels, the data pipeline) and sharp run on.
// DEEPPOSE_ORT_PROFILE=PREFIX writes ORT's per-node timings (PREFIX_*.json) when a session
// is disposed: how the whole-step graph's time was split up (docs/PERFORMANCE.md).
const sessionOptions = () => ({
  ...(process.env.DEEPPOSE_ORT_PROFILE
    ? { enableProfiling: true, profileFilePrefix: process.env.DEEPPOSE_ORT_PROFILE }
    : {}),
  intraOpNumThreads: threadCount(),
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
});

const volume = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export class OnnxSession {
  private constructor(private readonly native: NativeSession) {}

  /** Compiles a serialised model. */
  /** `options` are merged over the studio's defaults (onnxruntime-common's SessionOptions names). */
  static fromBytes(bytes: Uint8Array, options: Record<string, unknown> = {}): OnnxSession {
    loadOnnxRuntime();
    const native = new ort!.node.binding.InferenceSession();
    native.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, { ...sessionOptions(), ...options });
    return new OnnxSession(native);
  }

  static fromGraph(graph: OnnxGraph, info?: ModelInfo, options?: Record<string, unknown>): OnnxSession {
    return OnnxSession.fromBytes(encodeOnnxModel(graph, info), options);
  }

  /** Runs the graph; each output is written into a fresh array of the given shape. */
  run(
    inputs: Array<{ name: string; shape: readonly number[]; data: Float32Array }>,
    outputs: Array<{ name: string; shape: readonly number[] }>,
  ): Float32Array[] {
    const { Tensor } = ort!;
    const feeds: Record<string, OrtTensorLike> = {};
    for (const input of inputs) feeds[input.name] = new Tensor('float32', input.data, input.shape);
    // Preallocated outputs: ORT writes straight into arrays the caller will own. They are
    // left uninitialised (ORT overwrites every element), saving a zero-fill pass.
    const fetches: Record<string, OrtTensorLike> = {};
    const results = outputs.map((o) => {
      const size = volume(o.shape);
      const data = new Float32Array(Buffer.allocUnsafeSlow(size * 4).buffer, 0, size);
      fetches[o.name] = new Tensor('float32', data, o.shape);
      return data;
    });
    this.native.run(feeds, fetches, {});
    return results;
  }

  /**
   * Runs the graph with caller-owned output arrays: ORT writes into them directly. An output
   * may be an input's array only where the graph writes it after the input's last read (the
   * whole-step training graph updates its weights in place this way).
   */
  runInto(
    inputs: Array<{ name: string; shape: readonly number[]; data: Float32Array }>,
    outputs: Array<{ name: string; shape: readonly number[]; data: Float32Array }>,
  ): void {
    const { Tensor } = ort!;
    const feeds: Record<string, OrtTensorLike> = {};
    for (const input of inputs) feeds[input.name] = new Tensor('float32', input.data, input.shape);
    const fetches: Record<string, OrtTensorLike> = {};
    for (const output of outputs) fetches[output.name] = new Tensor('float32', output.data, output.shape);
    this.native.run(feeds, fetches, {});
  }

  /** Frees the native session (a whole model's weights) now rather than at garbage collection. */
  dispose(): void {
    if (process.env.DEEPPOSE_ORT_PROFILE) this.native.endProfiling();
    this.native.dispose();
  }
}
