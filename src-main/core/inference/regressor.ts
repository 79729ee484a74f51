// A trained regressor ready to predict, on the backend chosen for the job. On onnx-cpu the
// whole network runs as one exported ONNX graph in ONNX Runtime: per-layer tfjs kernels pay
// their glue and threading costs again at every layer, which dominates at batch 1 (about 5×
// slower on the reference AlexNet here). Elsewhere the tfjs model predicts.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../../src-shared/training/config';
import { OnnxSession } from '../onnx/onnx-runtime';
import {
  EXPORT_MODEL_INFO,
  INT8_MODEL_INFO,
  ONNX_INPUT,
  ONNX_OUTPUT,
  regressorOnnx,
  regressorShape,
} from '../onnx/regressor-export';
import type { DenseWeights } from '../../../src-shared/training/protocol';

export interface Regressor {
  /** What runs the network: 'onnx-runtime' (one graph) or 'tfjs'. */
  readonly engine: 'onnx-runtime' | 'tfjs';
  /** The hidden dense layers' weights as trained, or as 8-bit codes (onnx-runtime only). */
  readonly dense: DenseWeights;
  /** Square input side in pixels. */
  readonly input: number;
  /** Output width: two per joint. */
  readonly outputs: number;
  /** Outputs for `count` NHWC images packed in `pixels`. */
  predict(pixels: Float32Array, count: number): Promise<Float32Array>;
  dispose(): void;
}

/**
 * Builds the regressor of saved artifacts for a backend already selected in this process.
 * `dense: 'int8'` (onnx-cpu only; elsewhere the weights stay as trained) reads the hidden
 * dense layers' weights as 8-bit codes: faster at batch 1, predictions move slightly.
 */
export async function loadRegressor(
  artifacts: tf.io.ModelArtifacts,
  backend: BackendName,
  dense: DenseWeights = 'float32',
): Promise<Regressor> {
  if (backend === 'onnx-cpu') {
    const { graph, input, outputs } = regressorOnnx(artifacts, dense);
    const session = OnnxSession.fromGraph(graph, dense === 'int8' ? INT8_MODEL_INFO : EXPORT_MODEL_INFO);
    return {
      engine: 'onnx-runtime',
      dense,
      input,
      outputs,
      predict: async (pixels, count) =>
        session.run(
          [{ name: ONNX_INPUT, shape: [count, input, input, 3], data: pixels }],
          [{ name: ONNX_OUTPUT, shape: [count, outputs] }],
        )[0],
      dispose: () => session.dispose(),
    };
  }
  const { input, outputs } = regressorShape(artifacts);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  return {
    engine: 'tfjs',
    dense: 'float32',
    input,
    outputs,
    async predict(pixels, count) {
      const y = tf.tidy(() => model.predict(tf.tensor4d(pixels, [count, input, input, 3])) as tf.Tensor);
      const values = (await y.data()) as Float32Array;
      y.dispose();
      return values;
    },
    dispose: () => model.dispose(),
  };
}
