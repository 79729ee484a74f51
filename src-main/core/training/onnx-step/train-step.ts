// Runs the whole-step graph (step-graph.ts) in ONNX Runtime. The weights and optimizer
// slots are tfjs' own variable storage, fed to ORT and bound as the outputs for their next
// values, so ORT updates them in place (onnxruntime-node wraps the arrays without copying;
// its binding has no IO binding to keep tensors inside the runtime). The graph orders each
// overwrite after the old value's last read (optimizer-nodes.ts), so no step allocates or
// copies weights. Where tfjs' storage cannot be shared (another tensor holds it, or the
// slots do not exist yet) the engine keeps its own array, and syncToTfjs copies it over
// before validation, checkpoints and export.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { OnnxSession } from '../../onnx/onnx-runtime';
import { slot } from '../fused-optimizers';
import { memoryIsRetained } from '../../worker/retained-memory';
import { planLayers, type LayerPlan } from './layer-plan';
import { buildStepGraph, dropoutInput, stateInput, stateOutput, weightInput, weightOutput, type StepGraph } from './step-graph';
import { SLOTS, type OptimizerKind } from './optimizer-nodes';

export interface StepBatch {
  /** [size, S, S, 3], [size, 2J], [size, J] as the data pipeline makes them. */
  pixels: Float32Array;
  targets: Float32Array;
  weights: Float32Array;
  size: number;
}

export interface OnnxTrainStep {
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

function optimizerKind(optimizer: tf.Optimizer): OptimizerKind {
  const o = optimizer as unknown as OptimizerFields;
  // By class name: tfjs' optimizers answer instanceof for each other's classes.
  const name = optimizer.getClassName();
  if (name === 'Momentum' && !o.useNesterov) return 'momentum';
  if (name === 'Adam') return 'adam';
  throw new Error(`optimizer ${optimizer.getClassName()} is not supported by the whole-step graph`);
}

function slotLists(o: OptimizerFields, kind: OptimizerKind) {
  return kind === 'momentum' ? [(o.accumulations ??= [])] : [(o.accumulatedFirstMoment ??= []), (o.accumulatedSecondMoment ??= [])];
}

const copyOf = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);

/** The array behind a variable where it may be written in place: a cpu-family backend, storage not shared. */
function storageOf(variable: tf.Variable): Float32Array | null {
  const backend = tf.backend();
  if (!(backend instanceof MathBackendCPU)) return null;
  const entry = backend.data.get(variable.dataId) as { values?: unknown; refCount: number } | undefined;
  return entry?.refCount === 1 && entry.values instanceof Float32Array && entry.values.length === variable.size ? entry.values : null;
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

// ORT's memory pattern gives every intermediate of the planned run its own place in one
// block unless an earlier one of exactly the same size is free: for this graph, whose
// tensors come in hundreds of sizes, that is close to the sum of them all; its arena then
// grows in doubling chunks. Without the arena, tensors come from malloc: as fast where the
// process keeps freed memory (worker/retained-memory.ts: training and bench processes),
// page faults on every step where it does not, so the arena stays on there. Measured at
// batch 32 on the reference AlexNet: peak RSS 2.87 GB with both, 2.35 GB with neither
// (before in-place updates). DEEPPOSE_STEP_MEMPATTERN / DEEPPOSE_STEP_ARENA (0 or 1) override.
const stepSessionOptions = () => ({
  enableMemPattern: process.env.DEEPPOSE_STEP_MEMPATTERN === '1',
  enableCpuMemArena: process.env.DEEPPOSE_STEP_ARENA ? process.env.DEEPPOSE_STEP_ARENA === '1' : !memoryIsRetained(),
});

/** Throws (with a reason) where the model or optimizer is outside what the graph covers or ORT cannot compile it. */
export function createOnnxTrainStep(model: tf.LayersModel, optimizer: tf.Optimizer, batchSize?: number): OnnxTrainStep {
  const kind = optimizerKind(optimizer);
  const fields = optimizer as unknown as OptimizerFields;
  const plan0 = planLayers(model, 1);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // The arrays ORT reads and overwrites each step: tfjs' own where it can be shared.
  const lists = slotLists(fields, kind);
  const tfjsOwn = (t: tf.Variable) => storageOf(t) ?? copyOf(t);
  const live = variables.map((variable, i) => ({ weight: tfjsOwn(variable), state: lists.map((list) => (list[i] ? tfjsOwn(list[i]!.variable) : new Float32Array(variable.size))) }));
  let iterations = fields.iterations_ ?? 0;
  // Adam's β^t running products, read from tfjs' accBeta variables and carried on here.
  let betaPowers = kind === 'adam' ? [fields.accBeta1!.dataSync()[0], fields.accBeta2!.dataSync()[0]] : [];
  const sessions = new Map<number, { session: OnnxSession; step: StepGraph; plan: LayerPlan }>();
  const sessionFor = (size: number) => {
    let entry = sessions.get(size);
    if (!entry) {
      const plan = size === plan0.batch ? plan0 : planLayers(model, size);
      const step = buildStepGraph(plan, kind, kind === 'momentum' ? fields.momentum : undefined);
      entry = { session: OnnxSession.fromGraph(step.graph, undefined, stepSessionOptions()), step, plan };
      sessions.set(size, entry);
    }
    return entry;
  };
  const loss = new Float32Array(1);
  // Compiled now when the batch size is known, so a graph ORT refuses fails here, not mid-run.
  if (batchSize) sessionFor(batchSize);
  const padding = batchSize ? paddedBatches(batchSize, plan0) : null;

  return {
    step(original, dropoutSeeds, lr) {
      // An epoch's smaller last batch runs through the same graph, padded, rather than
      // compiling a second one (hundreds of MB of plans and buffers for one step an epoch).
      const batch = padding && original.size < padding.size ? padding.pad(original) : original;
      const { session, step, plan } = sessionFor(batch.size);
      const B = batch.size;
      const hyper = hyperparameters(kind, fields, lr, betaPowers);
      const masks = step.dropouts.map((d) => ({ name: dropoutInput(d.index), shape: [B, d.units], data: dropoutMultiplier([B, d.units], d.rate, dropoutSeeds[d.index]) }));
      const inputs = [
        { name: 'pixels', shape: [B, plan.input, plan.input, 3], data: batch.pixels },
        { name: 'targets', shape: [B, plan.outputs], data: batch.targets },
        { name: 'mask', shape: [B, plan.outputs / 2], data: batch.weights },
        ...masks,
        ...step.hyperparameters.map((name) => ({ name, shape: [], data: new Float32Array([hyper[name]]) })),
        ...plan.variables.flatMap((v, i) => [{ name: weightInput(i), shape: v.shape, data: live[i].weight }, ...live[i].state.map((data, s) => ({ name: stateInput(i, s), shape: v.shape, data }))]),
      ];
      const outputs = [
        { name: 'loss', shape: [], data: loss },
        ...plan.variables.flatMap((v, i) => [{ name: weightOutput(i), shape: v.shape, data: live[i].weight }, ...live[i].state.map((data, s) => ({ name: stateOutput(i, s), shape: v.shape, data }))]),
      ];
      session.runInto(inputs, outputs);
      iterations++;
      // tfjs' accBeta ← accBeta · β, in float32.
      if (kind === 'adam') betaPowers = [Math.fround(betaPowers[0] * Math.fround(fields.beta1!)), Math.fround(betaPowers[1] * Math.fround(fields.beta2!))];
      return loss[0];
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
    dispose() {
      for (const { session } of sessions.values()) session.dispose();
      sessions.clear();
    },
  };
}

/**
 * Pads a smaller batch to the compiled size with rows whose joint mask is 0. Their loss terms
 * and so every gradient they would carry are exactly 0, and the loss divides by the mask's
 * sum, so the step is the small batch's step. Dropout's multipliers for the real rows are
 * the same too: tf.randomUniform draws a seed's values in order, row by row.
 */
function paddedBatches(size: number, plan: LayerPlan) {
  const pixelsPerImage = plan.input * plan.input * 3;
  const buffers = { pixels: new Float32Array(size * pixelsPerImage), targets: new Float32Array(size * plan.outputs), weights: new Float32Array((size * plan.outputs) / 2) };
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

function hyperparameters(kind: OptimizerKind, o: OptimizerFields, lr: number, [p1, p2]: number[]): Record<string, number> {
  if (kind === 'momentum') return { momentum: o.momentum!, neg_lr: -lr };
  return {
    beta1: o.beta1!,
    one_minus_beta1: 1 - o.beta1!,
    beta2: o.beta2!,
    one_minus_beta2: 1 - o.beta2!,
    lr,
    correction1: 1 - p1,
    correction2: 1 - p2,
    epsilon: o.epsilon!,
  };
}

/** tf.dropout's multiplier for a seed: floor(U[0,1) + keep) / keep, drawn exactly as tfjs draws it. */
function dropoutMultiplier(shape: number[], rate: number, seed: number): Float32Array {
  const keep = 1 - rate;
  const multiplier = tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep));
  const values = Float32Array.from(multiplier.dataSync() as Float32Array);
  multiplier.dispose();
  return values;
}
