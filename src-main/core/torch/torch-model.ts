// The PyTorch engine's final weights (weights.json + weights.bin, already in TensorFlow.js'
// layout and order) as the studio's model folder: the same network built from the same plan for
// each cascade stage, its weights set by name, saved as every run's model is (model.json +
// weights.bin per stage, stage-N/ for later stages, cascade.json), so predict, export and review
// read it like any other run's.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TrainingConfig } from '../../../src-shared/training/config';
import { architectures } from '../pose/architectures';
import { buildModel } from '../training/models/build-model';
import { saveModel } from '../training/models/model-files';
import { cascadeRule, stageFolderName, writeCascadeManifest } from '../pose/cascade-files';
import { syncDir } from '../files/durable-write';
import type { SavedModelEvent, SaveTorchModelRequest } from '../../../src-shared/training/protocol';

interface WeightsFile {
  format: 'deeppose-torch-weights-v1';
  weights: Array<{ name: string; shape: number[] }>;
}

/** Reads weights.json/.bin as named float32 tensors' values. */
export function readTorchWeights(folder: string): Map<string, { shape: number[]; values: Float32Array }> {
  const spec = JSON.parse(readFileSync(join(folder, 'weights.json'), 'utf8')) as WeightsFile;
  if (spec.format !== 'deeppose-torch-weights-v1')
    throw new Error(`${folder}/weights.json: not the PyTorch engine's weights (format ${String(spec.format)})`);
  const bytes = readFileSync(join(folder, 'weights.bin'));
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const named = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const { name, shape } of spec.weights) {
    const size = shape.reduce((a, b) => a * b, 1);
    named.set(name, { shape, values: floats.subarray(offset, offset + size) });
    offset += size;
  }
  if (offset !== floats.length)
    throw new Error(`${folder}/weights.bin holds ${floats.length} values, weights.json describes ${offset}`);
  return named;
}

/** The network of `config` holding one stage's weights from the engine's weights folder (the caller disposes it). */
export function modelFromTorchWeights(folder: string, config: TrainingConfig): tf.LayersModel {
  const named = readTorchWeights(folder);
  const model = buildModel(architectures[config.model], config.joints, config.seed);
  try {
    const tensors = model.weights.map((w) => {
      const key = w.originalName.replace(/^.*?((conv|fc)\d+\/(kernel|bias))$/, '$1');
      const found = named.get(key);
      if (!found) throw new Error(`${folder}: no weights for ${key}`);
      if (found.shape.join('x') !== w.shape.join('x'))
        throw new Error(`${folder}: ${key} is ${found.shape.join('×')}, the model's is ${w.shape.join('×')}`);
      return tf.tensor(found.values, found.shape, 'float32');
    });
    model.setWeights(tensors);
    tf.dispose(tensors);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Writes `modelDir` (replaced as a whole) from the engine's final weights: every stage of the
 * cascade (stage 1 at the weights folder's root, later stages in stage-N/, as in a model folder). */
export async function saveTorchModel(weightsFolder: string, modelDir: string, config: TrainingConfig): Promise<void> {
  const temp = `${modelDir}.partial-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  for (let stage = 1; stage <= config.stages; stage++) {
    const model = modelFromTorchWeights(join(weightsFolder, stageFolderName(stage)), config);
    try {
      await saveModel(model, join(temp, stageFolderName(stage)), false);
    } finally {
      model.dispose();
    }
  }
  writeCascadeManifest(temp, cascadeRule(config));
  for (let stage = 2; stage <= config.stages; stage++) syncDir(join(temp, stageFolderName(stage)));
  syncDir(temp);
  if (existsSync(modelDir)) rmSync(modelDir, { recursive: true });
  renameSync(temp, modelDir);
  syncDir(dirname(modelDir));
}

/** The worker's 'save-torch-model' job. */
export async function runSaveTorchModel(
  request: SaveTorchModelRequest,
  io: { emit(event: SavedModelEvent): void },
): Promise<void> {
  // Only weights are set and saved: tfjs' own cpu backend does that (the worker also registers
  // wasm, which would otherwise be picked first and is not initialised).
  await tf.setBackend('cpu');
  await tf.ready();
  await saveTorchModel(request.weightsFolder, request.modelDir, request.config);
  io.emit({ type: 'model-saved', modelDir: request.modelDir });
}
