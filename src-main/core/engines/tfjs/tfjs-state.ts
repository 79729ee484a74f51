// A tfjs model and optimizer seen as a TrainState, and written back from one. Reading shares
// tfjs' own variable storage where it may be written in place (a cpu-family backend, storage
// not shared), so a plan engine updates tfjs' arrays themselves; elsewhere it copies, and
// writing back (before validation, checkpoints and saving) assigns. Checkpoints keep tfjs'
// format, so they resume on any backend and any engine.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { slot } from './fused-optimizers';
import { SLOTS, type OptimizerSettings, type TrainState } from '../train-step';

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

/** The settings of a tfjs optimizer the plan engines cover; throws for any other. */
export function optimizerSettings(optimizer: tf.Optimizer): OptimizerSettings {
  const o = optimizer as unknown as OptimizerFields;
  // By class name: tfjs' optimizers answer instanceof for each other's classes.
  const name = optimizer.getClassName();
  if (name === 'Momentum' && !o.useNesterov) return { kind: 'momentum', momentum: o.momentum! };
  if (name === 'Adam') return { kind: 'adam', beta1: o.beta1!, beta2: o.beta2!, epsilon: o.epsilon! };
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

/** Writes values into a variable: nothing when they are its storage, in place when possible, else by assign. */
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

function slotLists(optimizer: tf.Optimizer, settings: OptimizerSettings) {
  const fields = optimizer as unknown as OptimizerFields;
  return settings.kind === 'momentum'
    ? [(fields.accumulations ??= [])]
    : [(fields.accumulatedFirstMoment ??= []), (fields.accumulatedSecondMoment ??= [])];
}

const variablesOf = (model: tf.LayersModel) => model.trainableWeights.map((w) => w.read() as tf.Variable);

/** The model's weights and the optimizer's state: tfjs' storage where it can be shared, else copies. */
export function readTfjsState(model: tf.LayersModel, optimizer: tf.Optimizer): TrainState {
  const settings = optimizerSettings(optimizer);
  const fields = optimizer as unknown as OptimizerFields;
  const lists = slotLists(optimizer, settings);
  const own = (t: tf.Variable) => storageOf(t) ?? copyOf(t);
  return {
    variables: variablesOf(model).map((variable, i) => ({
      weight: own(variable),
      slots: lists.map((list) => (list[i] ? own(list[i]!.variable) : new Float32Array(variable.size))),
    })),
    iterations: fields.iterations_ ?? 0,
    // Adam's β^t running products, read from tfjs' accBeta variables.
    betaPowers: settings.kind === 'adam' ? [fields.accBeta1!.dataSync()[0], fields.accBeta2!.dataSync()[0]] : [],
  };
}

/** Makes the tfjs model and optimizer hold `state` (a no-op for arrays that are their storage). */
export function writeTfjsState(model: tf.LayersModel, optimizer: tf.Optimizer, state: TrainState): void {
  const settings = optimizerSettings(optimizer);
  const fields = optimizer as unknown as OptimizerFields;
  const lists = slotLists(optimizer, settings);
  variablesOf(model).forEach((variable, i) => {
    writeVariable(variable, state.variables[i].weight);
    lists.forEach((list, s) =>
      writeVariable(slot(list as never, i, variable.name, SLOTS[settings.kind][s]), state.variables[i].slots[s]),
    );
  });
  fields.iterations_ = state.iterations;
  if (settings.kind === 'adam') {
    tf.tidy(() => {
      fields.accBeta1!.assign(tf.scalar(state.betaPowers[0]));
      fields.accBeta2!.assign(tf.scalar(state.betaPowers[1]));
    });
  }
}
