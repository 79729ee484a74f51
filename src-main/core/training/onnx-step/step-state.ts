// What every whole-step engine (the ONNX graph, oneDNN) shares: the arrays it reads and
// overwrites each step (tfjs' own variable storage where it can be shared, else its own,
// copied back by syncToTfjs before validation, checkpoints and export), the optimizer's
// per-step scalars with tfjs' formulas, tf.dropout's multipliers drawn from the step's
// seeds, and the padding of an epoch's smaller last batch.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { slot } from '../fused-optimizers';
import type { LayerPlan } from './layer-plan';
import { SLOTS, type OptimizerKind } from './optimizer-nodes';

export interface StepBatch {
  /** [size, S, S, 3], [size, 2J], [size, J] as the data pipeline makes them. */
  pixels: Float32Array;
  targets: Float32Array;
  weights: Float32Array;
  size: number;
}

export type StepEngineName = 'onednn' | 'onnx-graph';

/** A whole training step outside tfjs' kernels. */
export interface TrainStep {
  readonly name: StepEngineName;
  /** One step; answers the loss (computed before the update, as tfjs' minimize returns it). */
  step(batch: StepBatch, dropoutSeeds: number[], lr: number): number;
  /** Copies the weights and optimizer state into the tfjs model and optimizer. */
  syncToTfjs(): void;
  dispose(): void;
}

interface OptimizerFields {
  accumulations?: Array<{ variable: tf.Variable } | undefined>;
  accumulatedFirstMoment?: Array<{ variable: tf.Variable } | undefined>;
  accumulatedSecondMoment?: Array<{ variable: tf.Variable } | undefined>;
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
  momentum?: number;
  useNesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  iterations_?: number;
}

export function optimizerKind(optimizer: tf.Optimizer): OptimizerKind {
  const o = optimizer as unknown as OptimizerFields;
  // By class name: tfjs' optimizers answer instanceof for each other's classes.
  const name = optimizer.getClassName();
  if (name === 'Momentum' && !o.useNesterov) return 'momentum';
  if (name === 'Adam') return 'adam';
  throw new Error(`optimizer ${optimizer.getClassName()} is not supported by the whole-step engines`);
}

const copyOf = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);

/** The array behind a variable where it may be written in place: a cpu-family backend, storage not shared. */
function storageOf(variable: tf.Variable): Float32Array | null {
  const backend = tf.backend();
  if (!(backend instanceof MathBackendCPU)) return null;
  const entry = backend.data.get(variable.dataId) as { values?: unknown; refCount: number } | undefined;
  return entry?.refCount === 1 && entry.values instanceof Float32Array && entry.values.length === variable.size
    ? entry.values
    : null;
}

/** Writes values into a variable: in place when possible, else by assign. */
function writeVariable(variable: tf.Variable, values: Float32Array): void {
  const storage = storageOf(variable);
  if (storage === values) return;
  if (storage) {
    storage.set(values);
    return;
  }
  const fresh = tf.tensor(values.slice(), variable.shape, 'float32');
  variable.assign(fresh);
  fresh.dispose();
}

export interface StepState {
  kind: OptimizerKind;
  /** MomentumSGD's factor (fixed for a run). */
  momentum: number | undefined;
  /** Per variable, in the model's order: the weight and its optimizer slots, updated in place by the engine. */
  live: Array<{ weight: Float32Array; state: Float32Array[] }>;
  /** The optimizer's scalars for a step at learning rate `lr`, by name (optimizer-nodes.ts' HYPERPARAMETERS). */
  hyperparameters(lr: number): Record<string, number>;
  /** After each step: the iteration count and Adam's β powers move on. */
  advance(): void;
  syncToTfjs(): void;
}

export function stepState(model: tf.LayersModel, optimizer: tf.Optimizer): StepState {
  const kind = optimizerKind(optimizer);
  const fields = optimizer as unknown as OptimizerFields;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const lists =
    kind === 'momentum'
      ? [(fields.accumulations ??= [])]
      : [(fields.accumulatedFirstMoment ??= []), (fields.accumulatedSecondMoment ??= [])];
  const tfjsOwn = (t: tf.Variable) => storageOf(t) ?? copyOf(t);
  const live = variables.map((variable, i) => ({
    weight: tfjsOwn(variable),
    state: lists.map((list) => (list[i] ? tfjsOwn(list[i]!.variable) : new Float32Array(variable.size))),
  }));
  let iterations = fields.iterations_ ?? 0;
  // Adam's β^t running products, read from tfjs' accBeta variables and carried on here.
  let betaPowers = kind === 'adam' ? [fields.accBeta1!.dataSync()[0], fields.accBeta2!.dataSync()[0]] : [];
  return {
    kind,
    momentum: kind === 'momentum' ? fields.momentum : undefined,
    live,
    hyperparameters(lr): Record<string, number> {
      if (kind === 'momentum') return { momentum: fields.momentum!, neg_lr: -lr };
      const [p1, p2] = betaPowers;
      return {
        beta1: fields.beta1!,
        one_minus_beta1: 1 - fields.beta1!,
        beta2: fields.beta2!,
        one_minus_beta2: 1 - fields.beta2!,
        lr,
        correction1: 1 - p1,
        correction2: 1 - p2,
        epsilon: fields.epsilon!,
      };
    },
    advance() {
      iterations++;
      // tfjs' accBeta ← accBeta · β, in float32.
      if (kind === 'adam')
        betaPowers = [
          Math.fround(betaPowers[0] * Math.fround(fields.beta1!)),
          Math.fround(betaPowers[1] * Math.fround(fields.beta2!)),
        ];
    },
    syncToTfjs() {
      variables.forEach((variable, i) => {
        const targets = [variable, ...lists.map((list, s) => slot(list as never, i, variable.name, SLOTS[kind][s]))];
        const values = [live[i].weight, ...live[i].state];
        targets.forEach((t, k) => writeVariable(t, values[k]));
        // From now on the engine updates tfjs' storage itself where it can (no second copy).
        const adopt = (t: tf.Variable, k: number) => storageOf(t) ?? values[k];
        live[i] = { weight: adopt(targets[0], 0), state: targets.slice(1).map((t, s) => adopt(t, s + 1)) };
      });
      fields.iterations_ = iterations;
      if (kind === 'adam') {
        tf.tidy(() => {
          fields.accBeta1!.assign(tf.scalar(betaPowers[0]));
          fields.accBeta2!.assign(tf.scalar(betaPowers[1]));
        });
      }
    },
  };
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
