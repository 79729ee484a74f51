// TensorFlow.js layers format on disk (model.json + weights.bin) without tfjs-node's file:// handler.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILE, readModelArtifacts, WEIGHTS_FILE } from '../../pose/model-folder';
import { writeAndSync, writeFileDurable } from '../../files/durable-write';

/**
 * An IOHandler reading and writing `dir`. With `durable` each file goes temp-then-rename;
 * without, files are only fsynced (for folders renamed into place as a whole).
 */
export function modelFolder(dir: string, durable = true): tf.io.IOHandler {
  return {
    async save(artifacts) {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('binary model topologies are not supported');
      mkdirSync(dir, { recursive: true });
      const write = durable ? writeFileDurable : writeAndSync;
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      write(join(dir, WEIGHTS_FILE), weights);
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      write(join(dir, MODEL_FILE), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => readModelArtifacts(dir),
  };
}

/** A live model's topology and weights as they would be saved. */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return captured!;
}

/**
 * The two files `saveModel` writes, with the weights as one view per tensor instead of tfjs'
 * joined copy: model.json's text and weights.bin's parts, in tfjs' own order and layout
 * (getNamedWeights, then each tensor's bytes), so loadModel reads them as it reads saveModel's.
 */
export function modelFileParts(model: tf.LayersModel): { json: string; weights: Uint8Array[] } {
  const named = (
    model as unknown as { getNamedWeights(): Array<{ name: string; tensor: tf.Tensor }> }
  ).getNamedWeights();
  const specs = named.map(({ name, tensor }) => {
    if (tensor.dtype !== 'float32')
      throw new Error(`weight ${name} is ${tensor.dtype}: only float32 weights are written this way`);
    return { name, shape: tensor.shape, dtype: tensor.dtype };
  });
  const weights = named.map(({ tensor }) => {
    const values = tensor.dataSync() as Float32Array;
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  });
  const json: tf.io.ModelJSON = {
    modelTopology: model.toJSON(null, false) as object,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  return { json: JSON.stringify(json), weights };
}

export { MODEL_FILE, WEIGHTS_FILE };

export async function saveModel(model: tf.LayersModel, dir: string, durable = true): Promise<void> {
  await model.save(modelFolder(dir, durable));
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(modelFolder(dir));
}
