// Whether a run's steps go through the whole-step ONNX graph: only on the onnx-cpu backend,
// unless DEEPPOSE_WHOLE_STEP=0 turns it off (for comparing engines); a model or optimizer
// the graph does not cover keeps tfjs' own step, with the reason kept for the run's notes.
import type * as tf from '@tensorflow/tfjs';
import { createOnnxTrainStep, type OnnxTrainStep } from './train-step';

export const WHOLE_STEP_ENV = 'DEEPPOSE_WHOLE_STEP';

export function wholeStepWanted(backend: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return backend === 'onnx-cpu' && env[WHOLE_STEP_ENV] !== '0';
}

/** The graph engine for this model and optimizer, or null (with why) to keep tfjs' step. */
export function tryWholeStep(backend: string, model: tf.LayersModel, optimizer: tf.Optimizer, batchSize: number): { engine: OnnxTrainStep | null; reason?: string } {
  if (!wholeStepWanted(backend)) return { engine: null, reason: `off (${backend === 'onnx-cpu' ? `${WHOLE_STEP_ENV}=0` : `backend ${backend}`})` };
  try {
    return { engine: createOnnxTrainStep(model, optimizer, batchSize) };
  } catch (error) {
    return { engine: null, reason: `not built: ${(error as Error).message}` };
  }
}
