// The plan engines are chosen only where they apply (oneDNN where its addon is built, else the
// ONNX graph); anything else gets tfjs' step with a reason instead of failing the run.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src-main/core/backends/select-backend';
import { chooseEngine, engineNote } from '../../src-main/core/engines/choose-engine';
import { atBatch, planLayers } from '../../src-main/core/engines/layer-plan';
import { loadOneDnn } from '../../src-main/core/engines/onednn/onednn-addon';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { FusedMomentumOptimizer } from '../../src-main/core/engines/tfjs/fused-optimizers';
import { trainingConfigSchema } from '../../src-shared/training/config';

before(async () => {
  assert.equal((await selectBackend('onnx-cpu')).name, 'onnx-cpu');
});

test('the studio regressor on onnx-cpu gets oneDNN where built, else the graph; other backends and the tfjs engine setting keep tfjs, and the settings schema refuses an unknown engine', () => {
  const model = buildModel(architectures['alexnet-tiny'], 14, 1);
  const optimizer = new FusedMomentumOptimizer(0.01, 0.9);
  const chosen = chooseEngine('onnx-cpu', model, optimizer, 4);
  const built = !('problem' in loadOneDnn());
  assert.equal(chosen.engine.name, built ? 'onednn' : 'onnx-graph', chosen.reason);
  if (!built) assert.match(engineNote(chosen), /^onnx-graph \(not onednn: not built/);
  chosen.engine.dispose();
  const graph = chooseEngine('onnx-cpu', model, optimizer, 4, 'onnx-graph');
  assert.equal(graph.engine.name, 'onnx-graph');
  graph.engine.dispose();
  const wasm = chooseEngine('wasm', model, optimizer, 4);
  assert.equal(wasm.engine.name, 'tfjs');
  assert.equal(engineNote(wasm), 'tfjs (off (backend wasm))');
  assert.match(chooseEngine('onnx-cpu', model, optimizer, 4, 'tfjs').reason ?? '', /engine tfjs chosen/);
  assert.throws(() => trainingConfigSchema.parse({ model: 'alexnet-tiny', joints: 14, engine: 'fast' }), /engine/);
  model.dispose();
});

test('a layer or optimizer the graph does not cover keeps the tfjs step, with the reason', () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4 }),
    ],
  });
  const unsupported = chooseEngine('onnx-cpu', model, new FusedMomentumOptimizer(0.01, 0.9), 2);
  assert.equal(unsupported.engine.name, 'tfjs');
  assert.match(unsupported.reason ?? '', /BatchNormalization is not supported/);
  const tiny = buildModel(architectures['alexnet-tiny'], 14, 1);
  const rmsprop = chooseEngine('onnx-cpu', tiny, tf.train.rmsprop(0.01), 2);
  assert.equal(rmsprop.engine.name, 'tfjs');
  assert.match(rmsprop.reason ?? '', /RMSProp is not supported/);
  model.dispose();
  tiny.dispose();
});

test('a layer plan moved to another batch size equals the plan made at that size', () => {
  const model = buildModel(architectures.alexnet, 14, 1);
  assert.deepEqual(atBatch(planLayers(model, 1), 8), planLayers(model, 8));
  model.dispose();
});
