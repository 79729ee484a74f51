// Which engine takes a run's steps on onnx-cpu: oneDNN's primitives where the addon is built
// (the fastest here), else the whole-step ONNX graph, else tfjs' own per-kernel step. The run's
// `engine` setting ('auto', or 'onednn' | 'onnx-graph' | 'tfjs' to compare them) decides; a model
// or optimizer an engine does not cover falls through to the next, with the reason kept for the
// run's notes.
import type * as tf from '@tensorflow/tfjs';
import { createOneDnnTrainStep } from './onednn-step';
import type { StepEngineName, TrainStep } from './step-state';
import type { EngineName } from '../../../../src-shared/training/config';
import { createOnnxTrainStep } from './train-step';

const CREATE: Record<StepEngineName, typeof createOnnxTrainStep> = {
  onednn: createOneDnnTrainStep,
  'onnx-graph': createOnnxTrainStep,
};

/** The engine for this model and optimizer, or null to keep tfjs' step; `reason` says why each better engine was not used. */
export function tryWholeStep(
  backend: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batchSize: number,
  wanted: EngineName = 'auto',
): { engine: TrainStep | null; reason?: string } {
  if (wanted === 'torch') throw new Error("the 'torch' engine trains in PyTorch, not in this process");
  if (backend !== 'onnx-cpu') return { engine: null, reason: `off (backend ${backend})` };
  if (wanted === 'tfjs') return { engine: null, reason: 'off (engine tfjs chosen)' };
  const candidates: StepEngineName[] = wanted === 'auto' ? ['onednn', 'onnx-graph'] : [wanted];
  const reasons: string[] = [];
  for (const name of candidates) {
    try {
      return {
        engine: CREATE[name](model, optimizer, batchSize),
        reason: reasons.length ? reasons.join('; ') : undefined,
      };
    } catch (error) {
      reasons.push(`${name}: ${(error as Error).message}`);
    }
  }
  return { engine: null, reason: reasons.join('; ') };
}
