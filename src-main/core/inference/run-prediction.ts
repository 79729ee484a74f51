// The prediction loop the worker runs: loads every stage of the model's cascade on the chosen
// backend, then for each item decodes the next image while the cascade works on the current
// one, and reports its joints in image pixels. The forward passes of each image are timed, as
// the reference work timed inference; a warm-up pass first keeps one-off kernel setup out of
// the figures. With the flip check on, each picture's mirror image goes through the cascade
// too (timed apart, so ms/image stays the reference's figure) for the confidence proxies.
import type { DenseWeights, PredictionEvent, PredictRequest } from '../../../src-shared/training/protocol';
import { selectBackend } from '../backends/select-backend';
import { readModelArtifacts } from '../pose/model-folder';
import { loadRegressor, type Regressor } from './regressor';
import { architectures, baseSize } from '../pose/architectures';
import { decodeImage, type DecodedImage } from '../pose/load-crop';
import { readCascade } from '../pose/cascade-files';
import type { BackendName } from '../../../src-shared/training/config';
import { predictCascade, type StageNet } from './cascade';
import { predictMirrored } from './flip-check';
import { confidenceProxies } from './confidence-proxies';
import { cropSquare } from '../pose/crop-geometry';

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
  if (!arch)
    throw new Error(
      `${modelDir}: input size ${input} matches none of the studio's networks (${Object.values(architectures)
        .map((a) => a.inputSize)
        .join(', ')})`,
    );
  return baseSize(arch);
}

/** Every stage's regressor of a model folder, on the selected backend. */
async function loadStages(
  modelDir: string,
  dirs: string[],
  backend: BackendName,
  dense: DenseWeights,
): Promise<{ regressors: Regressor[]; nets: StageNet[] }> {
  const regressors: Regressor[] = [];
  try {
    for (const dir of dirs) regressors.push(await loadRegressor(readModelArtifacts(dir), backend, dense));
  } catch (error) {
    for (const r of regressors) r.dispose();
    throw new Error(`${modelDir}: cannot load the model (${(error as Error).message})`, { cause: error });
  }
  const nets = regressors.map((r) => ({
    input: r.input,
    base: baseFor(r.input, modelDir),
    predict: r.predict.bind(r),
  }));
  return { regressors, nets };
}

/** Left/right pairs must name the model's joints, or the mirrored pose would lose some. */
function checkPairs(pairs: [number, number][], joints: number, modelDir: string): void {
  const bad = pairs.flat().find((j) => j >= joints);
  if (bad !== undefined)
    throw new Error(
      `${modelDir}: the flip check's left/right pairs name joint ${bad}, the model predicts ${joints} joints`,
    );
}

export async function runPrediction(request: PredictRequest, control: PredictionControl): Promise<void> {
  const backend = await selectBackend(request.backend);
  let cascade;
  try {
    cascade = readCascade(request.modelDir, { cropScale: request.cropScale });
  } catch (error) {
    throw new Error(`${request.modelDir}: cannot load the model (${(error as Error).message})`, { cause: error });
  }
  const { regressors, nets } = await loadStages(
    request.modelDir,
    cascade.dirs,
    backend.name,
    request.denseWeights ?? 'float32',
  );
  // Each forward pass is timed; an image's time is the sum over the cascade's stages.
  let forwardMs = 0;
  const timed: StageNet[] = nets.map((net) => ({
    ...net,
    async predict(pixels, count) {
      const began = performance.now();
      const values = await net.predict(pixels, count);
      forwardMs += performance.now() - began;
      return values;
    },
  }));
  for (const net of nets) await net.predict(new Float32Array(net.input * net.input * 3), 1);

  const items = request.items;
  const times: number[] = [];
  const flipTimes: number[] = [];
  const flipPairs = request.flipCheck?.flipPairs ?? null;
  const start = Date.now();
  let lastProgress = 0;
  let done = 0;
  const load = (i: number): Promise<DecodedImage | Error> =>
    decodeImage(items[i].imagePath).catch((error: Error) => error);
  let next = items.length > 0 ? load(0) : null;
  try {
    for (let i = 0; next; i++) {
      if (control.stopRequested()) break;
      const image = await next;
      next = i + 1 < items.length ? load(i + 1) : null;
      if (image instanceof Error) {
        control.emit({ type: 'predict-skipped', index: i, reason: image.message });
      } else {
        forwardMs = 0;
        const { joints, stages } = await predictCascade(image, items[i].box, timed, cascade.rule);
        const ms = forwardMs;
        times.push(ms);
        let mirrored: [number, number][] | null = null;
        let flipMs: number | null = null;
        if (flipPairs) {
          checkPairs(flipPairs, joints.length, request.modelDir);
          forwardMs = 0;
          mirrored = await predictMirrored(image, items[i].box, timed, cascade.rule, flipPairs);
          flipMs = forwardMs;
          flipTimes.push(flipMs);
        }
        const viewSide = cropSquare(
          { box: items[i].box, width: image.width, height: image.height },
          cascade.rule.cropScale,
        ).side;
        const confidence = confidenceProxies({ joints, stages, mirrored, viewSide });
        control.emit({
          type: 'prediction',
          index: i,
          width: image.width,
          height: image.height,
          joints,
          stageJoints: stages,
          mirrored,
          confidence,
          ms,
          flipMs,
        });
      }
      done = i + 1;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS || done === items.length) {
        lastProgress = now;
        control.emit({
          type: 'predict-progress',
          done,
          total: items.length,
          imagesPerSecond: done / Math.max(1e-3, (now - start) / 1000),
          backend: backend.name,
        });
      }
    }
  } finally {
    for (const r of regressors) r.dispose();
  }
  control.emit({
    type: 'predict-finished',
    backend: backend.name,
    backendNotes: backend.attempts,
    predicted: times.length,
    msPerImage: meanAndStd(times),
    flipMsPerImage: flipPairs ? meanAndStd(flipTimes) : null,
    denseWeights: regressors[0]?.dense ?? 'float32',
    stopped: done < items.length,
  });
}
