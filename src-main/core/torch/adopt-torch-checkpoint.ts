// A run the PyTorch engine trained goes on on a CPU engine. The engine's checkpoints already have
// the studio's layout (model/, optimizer.json + optimizer.bin in tfjs' order and names,
// progress.json), less what only TensorFlow.js writes: the network's description. When the run's
// newest resume point is the engine's, this writes it as a studio checkpoint (writeCheckpoint: the
// model folder, the manifest with sha256s) and the engine's frozen earlier stages as model
// folders, so the CPU trainer resumes it as its own. Runs in the worker, which has TensorFlow.js.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainingConfigSchema } from '../../../src-shared/training/config';
import type { Progress } from '../pose/checkpoint-folder';
import { frozenStageDir } from '../pose/cascade-files';
import { writeCheckpoint } from '../training/checkpoints';
import { saveModel } from '../training/models/model-files';
import { createOptimizer, restoreOptimizerState, type TensorSpec } from '../training/optimizer';
import { modelFromTorchWeights } from './torch-model';
import { newestStudioCheckpoint, newestTorchCheckpoint } from './torch-training';

/** The studio checkpoint written from the engine's newest one, or null when the run's own checkpoints are as new. */
export async function adoptTorchCheckpoint(runDir: string): Promise<string | null> {
  const own = newestTorchCheckpoint(runDir);
  if (!own) return null;
  const progress = JSON.parse(readFileSync(join(own, 'progress.json'), 'utf8')) as Progress;
  if (progress.iteration <= (newestStudioCheckpoint(runDir)?.iteration ?? -1)) return null;
  const config = trainingConfigSchema.parse(progress.config);
  // Only weights are set and written: tfjs' own cpu backend does that before the run picks its backend.
  await tf.setBackend('cpu');
  await tf.ready();
  for (let stage = 1; stage < (progress.stage ?? 1); stage++) {
    if (existsSync(join(frozenStageDir(runDir, stage), 'model.json'))) continue;
    const frozen = modelFromTorchWeights(join(runDir, 'stages', `torch-stage-${stage}`), config);
    try {
      await saveModel(frozen, frozenStageDir(runDir, stage));
    } finally {
      frozen.dispose();
    }
  }
  const model = modelFromTorchWeights(join(own, 'model'), config);
  const optimizer = createOptimizer(config);
  try {
    const { className, tensors } = JSON.parse(readFileSync(join(own, 'optimizer.json'), 'utf8')) as {
      className: string;
      tensors: TensorSpec[];
    };
    if (className !== optimizer.getClassName())
      throw new Error(`${own} holds ${className} state, the run uses ${optimizer.getClassName()}`);
    await restoreOptimizerState(optimizer, tensors, readFileSync(join(own, 'optimizer.bin')));
    return await writeCheckpoint(runDir, model, optimizer, { ...progress, stage: progress.stage ?? 1, config });
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
