import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { loadModel, saveModel } from '../../src-main/core/training/models/model-files';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

test('the reference AlexNet has the reference layer shapes and 58,396,060 parameters for 14 joints', async () => {
  await tf.setBackend('cpu');
  const model = buildModel(architectures.alexnet, 14, 0);
  const shapes = Object.fromEntries(model.layers.map((layer) => [layer.name, layer.outputShape]));
  assert.deepEqual(shapes, {
    conv1: [null, 55, 55, 96],
    pool1: [null, 27, 27, 96],
    conv2: [null, 27, 27, 256],
    pool2: [null, 13, 13, 256],
    conv3: [null, 13, 13, 384],
    conv4: [null, 13, 13, 384],
    conv5: [null, 13, 13, 256],
    pool5: [null, 6, 6, 256],
    flatten: [null, 9216],
    fc6: [null, 4096],
    drop6: [null, 4096],
    fc7: [null, 4096],
    drop7: [null, 4096],
    fc8: [null, 28],
  });
  assert.deepEqual(model.inputs[0].shape, [null, 227, 227, 3]);
  assert.equal(model.countParams(), 58_396_060);
  model.dispose();
});

test('the small variants keep the topology and build to a positive-size output', async () => {
  for (const name of ['alexnet-small', 'alexnet-tiny'] as const) {
    const model = buildModel(architectures[name], 14, 0);
    assert.deepEqual(model.outputs[0].shape, [null, 28], name);
    assert.equal(model.layers.filter((l) => l.getClassName() === 'Conv2D').length, 5, name);
    model.dispose();
  }
});

test('a model saved in layers format loads back with the same weights and predictions', async () => {
  const model = buildModel(architectures['alexnet-tiny'], 14, 3);
  const dir = `${temp.dir}/saved`;
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  const x = tf.randomUniform([2, 96, 96, 3], 0, 1, 'float32', 7);
  const a = (model.predict(x) as tf.Tensor).arraySync();
  const b = (loaded.predict(x) as tf.Tensor).arraySync();
  assert.deepEqual(b, a);
  model.dispose();
  loaded.dispose();
});

test('the same seed builds the same initial weights; another seed does not', () => {
  const weights = (seed: number) => buildModel(architectures['alexnet-tiny'], 14, seed).getWeights()[0].dataSync();
  assert.deepEqual(weights(5), weights(5));
  assert.notDeepEqual(weights(5), weights(6));
});
