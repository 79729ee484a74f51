// The prediction loop the worker runs: loads the model on the chosen backend, then for each
// item decodes and crops the next image while the network works on the current one, maps the
// output back to image pixels and reports it. The forward pass of each image (batch of one)
// is timed, as the reference work timed inference; a warm-up pass first keeps one-off kernel
// setup out of the figures.
import type { PredictionEvent, PredictRequest } from '../../../src-shared/training/protocol';
import { selectBackend } from '../training/backends/select-backend';
import { readModelArtifacts } from '../training/models/model-files';
import { loadRegressor, type Regressor } from './regressor';
import { architectures, baseSize } from '../training/models/architectures';
import { predictionToImage } from '../training/data/crop-geometry';
import { prepareInput, type InputShape, type PreparedInput } from './prediction-crop';

const PROGRESS_INTERVAL_MS = 250;

export interface PredictionControl {
  emit(event: PredictionEvent): void;
  /** True once the host asked to stop: the loop ends after the current image. */
  stopRequested(): boolean;
}

/** Population mean and standard deviation (numpy's default), null for no values. */
export function meanAndStd(values: number[]): { mean: number; std: number } | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** The base size training used for a model of this input side. */
function baseFor(input: number, modelDir: string): number {
  const arch = Object.values(architectures).find((a) => a.inputSize === input);
  if (!arch) throw new Error(`${modelDir}: input size ${input} matches none of the studio's networks (${Object.values(architectures).map((a) => a.inputSize).join(', ')})`);
  return baseSize(arch);
}

export async function runPrediction(request: PredictRequest, control: PredictionControl): Promise<void> {
  const backend = await selectBackend(request.backend);
  let regressor: Regressor;
  try {
    regressor = await loadRegressor(readModelArtifacts(request.modelDir), backend.name);
  } catch (error) {
    throw new Error(`${request.modelDir}: cannot load the model (${(error as Error).message})`);
  }
  const { input } = regressor;
  const shape: InputShape = { input, base: baseFor(input, request.modelDir), cropScale: request.cropScale };
  await regressor.predict(new Float32Array(input * input * 3), 1);

  const items = request.items;
  const times: number[] = [];
  const start = Date.now();
  let lastProgress = 0;
  let done = 0;
  const load = (i: number): Promise<PreparedInput | Error> => prepareInput(items[i], shape).catch((error: Error) => error);
  let next = items.length > 0 ? load(0) : null;
  for (let i = 0; next; i++) {
    if (control.stopRequested()) break;
    const prepared = await next;
    next = i + 1 < items.length ? load(i + 1) : null;
    if (prepared instanceof Error) {
      control.emit({ type: 'predict-skipped', index: i, reason: prepared.message });
    } else {
      const began = performance.now();
      const values = await regressor.predict(prepared.pixels, 1);
      const ms = performance.now() - began;
      times.push(ms);
      control.emit({ type: 'prediction', index: i, width: prepared.width, height: prepared.height, joints: predictionToImage(values, prepared.geometry), ms });
    }
    done = i + 1;
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_INTERVAL_MS || done === items.length) {
      lastProgress = now;
      control.emit({ type: 'predict-progress', done, total: items.length, imagesPerSecond: done / Math.max(1e-3, (now - start) / 1000), backend: backend.name });
    }
  }
  regressor.dispose();
  control.emit({
    type: 'predict-finished',
    backend: backend.name,
    backendNotes: backend.attempts,
    predicted: times.length,
    msPerImage: meanAndStd(times),
    stopped: done < items.length,
  });
}
