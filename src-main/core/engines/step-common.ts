// What the plan engines (the ONNX graph, oneDNN) share: the optimizer's per-step scalars with
// tfjs' formulas and their advance after each step, tf.dropout's multipliers drawn from the
// step's seeds, and the padding of an epoch's smaller last batch.
import * as tf from '@tensorflow/tfjs';
import type { LayerPlan } from './layer-plan';
import type { OptimizerKind, OptimizerSettings, StepBatch, TrainState } from './train-step';

/** Scalar inputs each kind reads per step, by name (the graph's inputs; oneDNN's `hyper` array in this order). */
export const HYPERPARAMETERS: Record<OptimizerKind, string[]> = {
  momentum: ['momentum', 'neg_lr'],
  adam: ['beta1', 'one_minus_beta1', 'beta2', 'one_minus_beta2', 'lr', 'correction1', 'correction2', 'epsilon'],
};

/** The optimizer's scalars for a step at learning rate `lr`, by HYPERPARAMETERS' names. */
export function stepScalars(settings: OptimizerSettings, state: TrainState, lr: number): Record<string, number> {
  if (settings.kind === 'momentum') return { momentum: settings.momentum, neg_lr: -lr };
  const [p1, p2] = state.betaPowers;
  return {
    beta1: settings.beta1,
    one_minus_beta1: 1 - settings.beta1,
    beta2: settings.beta2,
    one_minus_beta2: 1 - settings.beta2,
    lr,
    correction1: 1 - p1,
    correction2: 1 - p2,
    epsilon: settings.epsilon,
  };
}

/** After each step: the iteration count and Adam's β powers move on (tfjs' accBeta ← accBeta · β, in float32). */
export function advance(settings: OptimizerSettings, state: TrainState): void {
  state.iterations++;
  if (settings.kind === 'adam')
    state.betaPowers = [
      Math.fround(state.betaPowers[0] * Math.fround(settings.beta1)),
      Math.fround(state.betaPowers[1] * Math.fround(settings.beta2)),
    ];
}

/**
 * Pads a smaller batch to the compiled size with rows whose joint mask is 0. Their loss terms
 * and so every gradient they would carry are exactly 0, and the loss divides by the mask's
 * sum, so the step is the small batch's step. Dropout's multipliers for the real rows are
 * the same too: tf.randomUniform draws a seed's values in order, row by row.
 */
export function paddedBatches(size: number, plan: LayerPlan) {
  const pixelsPerImage = plan.input * plan.input * 3;
  const buffers = {
    pixels: new Float32Array(size * pixelsPerImage),
    targets: new Float32Array(size * plan.outputs),
    weights: new Float32Array((size * plan.outputs) / 2),
  };
  const fill = (target: Float32Array, source: Float32Array) => {
    target.set(source);
    target.fill(0, source.length);
    return target;
  };
  return {
    size,
    pad: (batch: StepBatch): StepBatch => ({
      pixels: fill(buffers.pixels, batch.pixels.subarray(0, batch.size * pixelsPerImage)),
      targets: fill(buffers.targets, batch.targets.subarray(0, batch.size * plan.outputs)),
      weights: fill(buffers.weights, batch.weights.subarray(0, (batch.size * plan.outputs) / 2)),
      size,
    }),
  };
}

/** tf.dropout's multiplier for a seed: floor(U[0,1) + keep) / keep, drawn exactly as tfjs draws it. */
export function dropoutMultiplier(shape: number[], rate: number, seed: number): Float32Array {
  const keep = 1 - rate;
  const multiplier = tf.tidy(() =>
    tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep),
  );
  const values = Float32Array.from(multiplier.dataSync() as Float32Array);
  multiplier.dispose();
  return values;
}
