// The studio's Sequential regressors as a list of layers the plan engines (the ONNX graph,
// oneDNN) know how to differentiate, read from a live tfjs model. Anything else is refused
// with a reason, and the trainer keeps tfjs' own step for that model.
import * as tf from '@tensorflow/tfjs';

export type PlannedLayer =
  | { kind: 'conv'; name: string; info: tf.backend_util.Conv2DInfo; relu: boolean }
  | { kind: 'pool'; name: string; info: tf.backend_util.Conv2DInfo }
  | { kind: 'flatten'; shape: [number, number, number] }
  | { kind: 'dense'; name: string; inUnits: number; units: number; relu: boolean }
  | { kind: 'dropout'; index: number; rate: number; units: number };

export interface LayerPlan {
  batch: number;
  input: number;
  outputs: number;
  layers: PlannedLayer[];
  /** Trainable variables in the model's order (the order tfjs' optimizers see them). */
  variables: Array<{ name: string; original: string; shape: number[] }>;
}

type Pair = [number, number];

export function planLayers(model: tf.LayersModel, batch: number): LayerPlan {
  const inputShape = model.inputs[0].shape;
  const input = inputShape[1]!;
  if (inputShape.length !== 4 || inputShape[2] !== input || inputShape[3] !== 3)
    throw new Error(`input ${JSON.stringify(inputShape)} is not a square RGB image`);
  let shape: number[] = [batch, input, input, 3];
  const layers: PlannedLayer[] = [];
  let dropouts = 0;
  for (const layer of model.layers) {
    const config = layer.getConfig() as Record<string, unknown>;
    const cls = layer.getClassName();
    const activation = (config.activation as string | undefined) ?? 'linear';
    if ((cls === 'Conv2D' || cls === 'Dense') && activation !== 'relu' && activation !== 'linear')
      throw new Error(`layer ${layer.name}: activation ${activation}`);
    if ((cls === 'Conv2D' || cls === 'Dense') && config.useBias === false)
      throw new Error(`layer ${layer.name}: no bias`);
    if (cls === 'Conv2D') {
      if ((config.dilationRate as Pair).some((d) => d !== 1)) throw new Error(`layer ${layer.name}: dilated`);
      const [kh, kw] = config.kernelSize as Pair;
      const info = tf.backend_util.computeConv2DInfo(
        shape as [number, number, number, number],
        [kh, kw, shape[3], config.filters as number],
        config.strides as Pair,
        1,
        config.padding as 'valid' | 'same',
      );
      layers.push({ kind: 'conv', name: layer.name, info, relu: activation === 'relu' });
      shape = info.outShape;
    } else if (cls === 'MaxPooling2D') {
      const info = tf.backend_util.computePool2DInfo(
        shape as [number, number, number, number],
        config.poolSize as Pair,
        config.strides as Pair,
        1,
        config.padding as 'valid' | 'same',
      );
      layers.push({ kind: 'pool', name: layer.name, info });
      shape = info.outShape;
    } else if (cls === 'Flatten') {
      layers.push({ kind: 'flatten', shape: [shape[1], shape[2], shape[3]] });
      shape = [batch, shape[1] * shape[2] * shape[3]];
    } else if (cls === 'Dense') {
      if (shape.length !== 2) throw new Error(`layer ${layer.name}: dense on a rank-${shape.length} input`);
      const units = config.units as number;
      layers.push({ kind: 'dense', name: layer.name, inUnits: shape[1], units, relu: activation === 'relu' });
      shape = [batch, units];
    } else if (cls === 'Dropout') {
      const rate = config.rate as number;
      // tf.dropout at rate 0 is the identity: no mask to feed.
      if (rate > 0) layers.push({ kind: 'dropout', index: dropouts, rate, units: shape[1] });
      dropouts++;
      if (shape.length !== 2) throw new Error(`layer ${layer.name}: dropout on a rank-${shape.length} input`);
    } else {
      throw new Error(`layer ${layer.name}: ${cls} is not supported by the whole-step graph`);
    }
  }
  if (shape.length !== 2) throw new Error('the model does not end in a dense layer');
  // `name` is the tfjs variable's (unique in the process, e.g. conv1/kernel_2), which the
  // optimizer's slots are named after; `original` is the layer's (conv1/kernel).
  const variables = model.trainableWeights.map((w) => ({
    name: (w.read() as tf.Variable).name,
    original: w.originalName,
    shape: w.shape as number[],
  }));
  const expected = layers.flatMap((l) =>
    l.kind === 'conv' || l.kind === 'dense' ? [`${l.name}/kernel`, `${l.name}/bias`] : [],
  );
  if (variables.map((v) => v.original).join() !== expected.join())
    throw new Error(
      `trainable weights ${variables.map((v) => v.original).join()} are not the layers' kernels and biases`,
    );
  return { batch, input, outputs: shape[1], layers, variables };
}

/** The same plan for another batch size (only the convolutions' and poolings' shapes carry it). */
export function atBatch(plan: LayerPlan, batch: number): LayerPlan {
  if (plan.batch === batch) return plan;
  const info = (i: tf.backend_util.Conv2DInfo): tf.backend_util.Conv2DInfo => ({
    ...i,
    batchSize: batch,
    inShape: [batch, i.inShape[1], i.inShape[2], i.inShape[3]],
    outShape: [batch, i.outShape[1], i.outShape[2], i.outShape[3]],
  });
  return {
    ...plan,
    batch,
    layers: plan.layers.map((l) => (l.kind === 'conv' || l.kind === 'pool' ? { ...l, info: info(l.info) } : l)),
  };
}
