// A saved model folder (TensorFlow.js layers format: model.json + weights.bin) read as plain
// files: topology and weight buffers, without building the model or loading TensorFlow.js, so
// the core host can export ONNX and read shapes without the network's runtime.
import type * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEIGHTS_FILE = 'weights.bin';
export const MODEL_FILE = 'model.json';

/** The saved topology and weights of a model folder, without building the model. */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const buffers = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dir, p))));
  // A big file's Buffer owns its whole ArrayBuffer: used as it is (tfjs takes a list of
  // buffers, so nothing is joined); small pooled ones are copied out.
  const own = (b: Buffer): ArrayBuffer =>
    b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
      ? (b.buffer as ArrayBuffer)
      : (b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const weightData = buffers.map(own);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    weightSpecs,
    weightData,
  };
}

/** One buffer holding all of `artifacts`' weights in order (a view of the only buffer when there is one). */
export function joinedWeights(artifacts: tf.io.ModelArtifacts): Uint8Array {
  const data = artifacts.weightData ?? [];
  const buffers = Array.isArray(data) ? data : [data];
  if (buffers.length === 1) return new Uint8Array(buffers[0]);
  return new Uint8Array(Buffer.concat(buffers.map((b) => new Uint8Array(b))));
}
