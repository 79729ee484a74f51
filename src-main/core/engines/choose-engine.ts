// Which engine takes a run's steps: on onnx-cpu, oneDNN's primitives where the addon loads
// (the fastest here), else the whole step as one ONNX graph (where oneDNN cannot load: not
// built for this platform, no libdnnl), else tfjs' own per-kernel step, which every backend
// has. The run's `engine` setting ('auto', or 'onednn' | 'onnx-graph' | 'tfjs' to compare
// them) decides; a model or optimizer a plan engine does not cover falls through to the next,
// with the reason kept for the run's notes.
import type * as tf from '@tensorflow/tfjs';
import type { EngineName } from '../../../src-shared/training/config';
import { planLayers } from './layer-plan';
import { createOneDnnTrainStep } from './onednn/onednn-step';
import { createOnnxGraphTrainStep } from './onnx-graph/onnx-graph-step';
import { createTfjsTrainStep } from './tfjs/tfjs-step';
import { optimizerSettings, readTfjsState, writeTfjsState } from './tfjs/tfjs-state';
import type { CreateTrainStep, StepEngineName, TrainStep } from './train-step';

/** The plan engines, fastest first: what 'auto' tries in order. */
export const PLAN_ENGINES: Partial<Record<StepEngineName, CreateTrainStep>> = {
  onednn: createOneDnnTrainStep,
  'onnx-graph': createOnnxGraphTrainStep,
};

export interface ChosenEngine {
  engine: TrainStep;
  /** Why each better engine did not run (absent when the first choice ran). */
  reason?: string;
  /** Brings tfjs' model and optimizer up to the engine's state: before validation, checkpoints and saving. */
  syncToTfjs(): void;
}

/** The engine for this backend, model and optimizer; tfjs' own step where no plan engine applies. */
export function chooseEngine(
  backend: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batchSize: number,
  wanted: EngineName = 'auto',
): ChosenEngine {
  if (wanted === 'torch') throw new Error("the 'torch' engine trains in PyTorch, not in this process");
  const tfjs = (reason: string): ChosenEngine => ({
    engine: createTfjsTrainStep(model, optimizer),
    reason,
    syncToTfjs: () => undefined,
  });
  if (backend !== 'onnx-cpu') return tfjs(`off (backend ${backend})`);
  if (wanted === 'tfjs') return tfjs('off (engine tfjs chosen)');
  const candidates = (wanted === 'auto' ? Object.keys(PLAN_ENGINES) : [wanted]) as StepEngineName[];
  const reasons: string[] = [];
  for (const name of candidates) {
    try {
      const plan = planLayers(model, batchSize);
      const optimizerSetup = optimizerSettings(optimizer);
      const engine = PLAN_ENGINES[name]!({
        plan,
        optimizer: optimizerSetup,
        state: readTfjsState(model, optimizer),
        batchSize,
      });
      return {
        engine,
        reason: reasons.length ? reasons.join('; ') : undefined,
        syncToTfjs() {
          writeTfjsState(model, optimizer, engine.readState());
          // From now on the engine updates tfjs' storage itself where it can (no second copy).
          engine.writeState(readTfjsState(model, optimizer));
        },
      };
    } catch (error) {
      reasons.push(`${name}: ${(error as Error).message}`);
    }
  }
  return tfjs(reasons.join('; '));
}

/** The run's note on its engine, as the `started` event and `deeppose train` show it. */
export function engineNote({ engine, reason }: ChosenEngine): string {
  if (engine.name === 'tfjs') return `tfjs${reason ? ` (${reason})` : ''}`;
  return `${engine.name}${reason ? ` (not ${reason})` : ''}`;
}
