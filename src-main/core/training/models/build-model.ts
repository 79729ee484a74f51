// Builds the AlexNet regressor as a tfjs Sequential model (saved in layers format).
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from './architectures';

export function buildModel(arch: Architecture, joints: number, seed: number): tf.Sequential {
  let layerSeed = seed * 16;
  const init = () => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: ++layerSeed }),
    biasInitializer: tf.initializers.zeros(),
  });
  const [c1, c2, c3, c4, c5] = arch.conv;
  const s = arch.inputSize;
  const model = tf.sequential({ name: arch.name });
  model.add(tf.layers.conv2d({ name: 'conv1', inputShape: [s, s, 3], filters: c1, kernelSize: 11, strides: 4, padding: 'valid', activation: 'relu', ...init() }));
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 3, strides: 2 }));
  model.add(tf.layers.conv2d({ name: 'conv2', filters: c2, kernelSize: 5, padding: 'same', activation: 'relu', ...init() }));
  model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 3, strides: 2 }));
  model.add(tf.layers.conv2d({ name: 'conv3', filters: c3, kernelSize: 3, padding: 'same', activation: 'relu', ...init() }));
  model.add(tf.layers.conv2d({ name: 'conv4', filters: c4, kernelSize: 3, padding: 'same', activation: 'relu', ...init() }));
  model.add(tf.layers.conv2d({ name: 'conv5', filters: c5, kernelSize: 3, padding: 'same', activation: 'relu', ...init() }));
  model.add(tf.layers.maxPooling2d({ name: 'pool5', poolSize: 3, strides: 2 }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ name: 'fc6', units: arch.fc[0], activation: 'relu', ...init() }));
  model.add(tf.layers.dropout({ name: `drop6`, rate: arch.dropout }));
  model.add(tf.layers.dense({ name: 'fc7', units: arch.fc[1], activation: 'relu', ...init() }));
  model.add(tf.layers.dropout({ name: `drop7`, rate: arch.dropout }));
  // Targets are joints / input size, centred near 0.5: starting the output there instead of
  // at 0 skips the first epochs' drift towards the mean and lets short CPU runs learn pose.
  model.add(tf.layers.dense({ name: 'fc8', units: joints * 2, ...init(), biasInitializer: tf.initializers.constant({ value: 0.5 }) }));
  return model;
}

/** Training-mode forward pass: dropout masks come from `dropoutSeeds` (one per dropout layer), so a step is reproducible. */
export function forwardTrain(model: tf.LayersModel, input: tf.Tensor4D, dropoutSeeds: number[]): tf.Tensor2D {
  let h: tf.Tensor = input;
  let d = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') {
      const rate = (layer.getConfig() as { rate: number }).rate;
      h = tf.dropout(h, rate, undefined, dropoutSeeds[d++]);
    } else {
      h = layer.apply(h) as tf.Tensor;
    }
  }
  return h as tf.Tensor2D;
}

export function dropoutLayerCount(model: tf.LayersModel): number {
  return model.layers.filter((layer) => layer.getClassName() === 'Dropout').length;
}
