// The one interface every in-process training step implements: tfjs' own step (tfjs/), the
// whole step as one ONNX graph (onnx-graph/) and the step on oneDNN's primitives (onednn/).
// An engine is made from the network's layer plan and the optimizer's settings, starting from
// a TrainState (the weights and optimizer slots it updates in place); it steps on a batch and
// reads or replaces its state. The trainer, the speed calibration and the benchmark use only
// this, through choose-engine.ts. (The PyTorch engine trains in another process, launched by
// the run service from core/torch/.)
import type { LayerPlan } from './layer-plan';

export type StepEngineName = 'tfjs' | 'onednn' | 'onnx-graph';

export type OptimizerKind = 'momentum' | 'adam';

/** MomentumSGD (without Nesterov) or Adam, with tfjs' formulas; the learning rate is given per step. */
export type OptimizerSettings =
  { kind: 'momentum'; momentum: number } | { kind: 'adam'; beta1: number; beta2: number; epsilon: number };

/** Optimizer slots per variable, in tfjs' slot-name suffixes (and the order of TrainState's `slots`). */
export const SLOTS: Record<OptimizerKind, string[]> = { momentum: ['momentum'], adam: ['m', 'v'] };

export interface StepBatch {
  /** [size, S, S, 3], [size, 2J], [size, J] as the data pipeline makes them. */
  pixels: Float32Array;
  targets: Float32Array;
  weights: Float32Array;
  size: number;
}

/** Weights and optimizer state: what a checkpoint holds of a run besides its progress. */
export interface TrainState {
  /** Per trainable variable, in the plan's order: its weight and its slots (SLOTS' order). */
  variables: Array<{ weight: Float32Array; slots: Float32Array[] }>;
  /** Steps taken so far. */
  iterations: number;
  /** Adam's β1^t and β2^t (empty for momentum). */
  betaPowers: number[];
}

/** What a plan engine is made from. */
export interface StepSetup {
  /** The network (at any batch size: the engine re-plans for the sizes it steps on). */
  plan: LayerPlan;
  optimizer: OptimizerSettings;
  /** The state to start from; the engine updates these arrays in place. */
  state: TrainState;
  /** The batch size to compile for now (a smaller batch is padded to it), so a refusal comes here, not mid-run. */
  batchSize?: number;
}

export interface TrainStep {
  readonly name: StepEngineName;
  /** One step; answers the loss (computed before the update, as tfjs' minimize returns it). */
  step(batch: StepBatch, dropoutSeeds: number[], lr: number): Promise<number>;
  /** The current weights and optimizer state (the engine's own arrays, not copies). */
  readState(): TrainState;
  /** Continues from `state` (its arrays are adopted and updated in place from now on). */
  writeState(state: TrainState): void;
  dispose(): void;
}

/** A plan engine's constructor: throws, with the reason, where it cannot load or does not cover the plan. */
export type CreateTrainStep = (setup: StepSetup) => TrainStep;
