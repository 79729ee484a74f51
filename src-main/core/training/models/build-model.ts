// Builds the AlexNet regressor as a tfjs Sequential model (saved in layers format) from its plan.
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from '../../pose/architectures';
import { networkPlan, type LayerSpec } from './network-plan';

export function buildModel(arch: Architecture, joints: number, seed: number): tf.Sequential {
  let layerSeed = seed * 16;
  const init = () => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: ++layerSeed }),
    biasInitializer: tf.initializers.zeros(),
  });
  const s = arch.inputSize;
  const model = tf.sequential({ name: arch.name });
  const layerOf = (spec: LayerSpec, first: boolean): tf.layers.Layer => {
    switch (spec.kind) {
      case 'conv':
        return tf.layers.conv2d({
          name: spec.name,
          ...(first ? { inputShape: [s, s, 3] } : {}),
          filters: spec.filters,
          kernelSize: spec.kernel,
          ...(spec.stride !== 1 ? { strides: spec.stride } : {}),
          padding: spec.padding,
          activation: 'relu',
          ...init(),
        });
      case 'pool':
        return tf.layers.maxPooling2d({ name: spec.name, poolSize: spec.size, strides: spec.stride });
      case 'flatten':
        return tf.layers.flatten({ name: spec.name });
      case 'dropout':
        return tf.layers.dropout({ name: spec.name, rate: spec.rate });
      case 'dense':
        // Targets are joints / input size, centred near 0.5: starting the output (the one
        // linear layer) there instead of at 0 skips the first epochs' drift towards the mean
        // and lets short CPU runs learn pose.
        return spec.relu
          ? tf.layers.dense({ name: spec.name, units: spec.units, activation: 'relu', ...init() })
          : tf.layers.dense({
              name: spec.name,
              units: spec.units,
              ...init(),
              biasInitializer: tf.initializers.constant({ value: 0.5 }),
            });
    }
  };
  networkPlan(arch, joints).forEach((spec, i) => model.add(layerOf(spec, i === 0)));
  return model;
}

/** How many dropout layers the network has: the trainer draws one seed per layer and step. */
export function dropoutLayerCount(model: tf.LayersModel): number {
  return model.layers.filter((layer) => layer.getClassName() === 'Dropout').length;
}
