// The whole-step graph engine is chosen only where it applies; anything else keeps tfjs' step
// with a reason instead of failing the run.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src-main/core/training/backends/select-backend';
import { tryWholeStep } from '../../src-main/core/training/onnx-step/step-engine';
import { architectures } from '../../src-main/core/training/models/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { FusedMomentumOptimizer } from '../../src-main/core/training/fused-optimizers';

before(async () => {
  assert.equal((await selectBackend('onnx-cpu')).name, 'onnx-cpu');
});

test('the studio regressor on onnx-cpu gets the graph engine; other backends and DEEPPOSE_WHOLE_STEP=0 do not', () => {
  const model = buildModel(architectures['alexnet-tiny'], 14, 1);
  const optimizer = new FusedMomentumOptimizer(0.01, 0.9);
  const chosen = tryWholeStep('onnx-cpu', model, optimizer, 4);
  assert.ok(chosen.engine, chosen.reason);
  chosen.engine.dispose();
  assert.equal(tryWholeStep('wasm', model, optimizer, 4).engine, null);
  process.env.DEEPPOSE_WHOLE_STEP = '0';
  try {
    assert.match(tryWholeStep('onnx-cpu', model, optimizer, 4).reason ?? '', /DEEPPOSE_WHOLE_STEP=0/);
  } finally {
    delete process.env.DEEPPOSE_WHOLE_STEP;
  }
  model.dispose();
});

test('a layer or optimizer the graph does not cover keeps the tfjs step, with the reason', () => {
  const model = tf.sequential({
    layers: [tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: 'relu' }), tf.layers.batchNormalization(), tf.layers.flatten(), tf.layers.dense({ units: 4 })],
  });
  const unsupported = tryWholeStep('onnx-cpu', model, new FusedMomentumOptimizer(0.01, 0.9), 2);
  assert.equal(unsupported.engine, null);
  assert.match(unsupported.reason ?? '', /BatchNormalization is not supported/);
  const tiny = buildModel(architectures['alexnet-tiny'], 14, 1);
  const rmsprop = tryWholeStep('onnx-cpu', tiny, tf.train.rmsprop(0.01), 2);
  assert.equal(rmsprop.engine, null);
  assert.match(rmsprop.reason ?? '', /RMSProp is not supported/);
  model.dispose();
  tiny.dispose();
});
