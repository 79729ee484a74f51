// Which engine takes a run's steps on onnx-cpu: oneDNN's primitives where the addon is built
// (the fastest here), else the whole-step ONNX graph, else tfjs' own per-kernel step.
// DEEPPOSE_STEP_ENGINE=onednn|onnx-graph|tfjs picks one (for comparing engines); a model or
// optimizer an engine does not cover falls through to the next, with the reason kept for
// the run's notes.
import type * as tf from '@tensorflow/tfjs';
import { createOneDnnTrainStep } from './onednn-step';
import type { StepEngineName, TrainStep } from './step-state';
import { createOnnxTrainStep } from './train-step';

export const STEP_ENGINE_ENV = 'DEEPPOSE_STEP_ENGINE';
export const STEP_ENGINES = ['onednn', 'onnx-graph', 'tfjs'] as const;

const CREATE: Record<StepEngineName, typeof createOnnxTrainStep> = { onednn: createOneDnnTrainStep, 'onnx-graph': createOnnxTrainStep };

/** The engine for this model and optimizer, or null to keep tfjs' step; `reason` says why each better engine was not used. */
export function tryWholeStep(backend: string, model: tf.LayersModel, optimizer: tf.Optimizer, batchSize: number, env: NodeJS.ProcessEnv = process.env): { engine: TrainStep | null; reason?: string } {
  if (backend !== 'onnx-cpu') return { engine: null, reason: `off (backend ${backend})` };
  const wanted = env[STEP_ENGINE_ENV];
  if (wanted && !(STEP_ENGINES as readonly string[]).includes(wanted)) throw new Error(`${STEP_ENGINE_ENV}=${wanted}: expected one of ${STEP_ENGINES.join(', ')}`);
  if (wanted === 'tfjs') return { engine: null, reason: `off (${STEP_ENGINE_ENV}=tfjs)` };
  const candidates: StepEngineName[] = wanted ? [wanted as StepEngineName] : ['onednn', 'onnx-graph'];
  const reasons: string[] = [];
  for (const name of candidates) {
    try {
      return { engine: CREATE[name](model, optimizer, batchSize), reason: reasons.length ? reasons.join('; ') : undefined };
    } catch (error) {
      reasons.push(`${name}: ${(error as Error).message}`);
    }
  }
  return { engine: null, reason: reasons.join('; ') };
}
