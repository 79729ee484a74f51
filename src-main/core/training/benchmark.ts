// The reference benchmark on one backend, in this process: AlexNet training throughput at
// batch 32 (MomentumSGD lr 0.01 momentum 0.9, the reference loss, dropout on) on a fixed
// batch, the same training fed by the real data pipeline (JPEG decode, crop, colour noise),
// and batch-1 inference latency as prediction jobs run it; many samples, mean and standard
// deviation.
import * as tf from '@tensorflow/tfjs';
import type { BackendName, ModelName } from '../../../src-shared/training/config';
import type { BackendAttempt, Example } from '../../../src-shared/training/protocol';
import { selectBackend } from '../backends/select-backend';
import { trainingBatches, type PipelineOptions } from './data/batches';
import { FusedMomentumOptimizer } from '../engines/tfjs/fused-optimizers';
import { architectures, baseSize } from '../pose/architectures';
import { buildModel, dropoutLayerCount } from './models/build-model';
import { modelArtifacts } from './models/model-files';
import { loadRegressor, type Regressor } from '../inference/regressor';
import { chooseEngine } from '../engines/choose-engine';
import type { StepBatch, StepEngineName } from '../engines/train-step';

export interface BenchmarkOptions {
  backend: BackendName | 'auto';
  model: ModelName;
  batchSize: number;
  /** Untimed training steps first (first allocations, session creation). */
  warmupSteps: number;
  /** Timed steps on a fixed random batch; 0 skips training. */
  trainIterations: number;
  /** Timed steps fed by the data pipeline from `pipelineExamples`; 0 skips them. */
  pipelineIterations: number;
  pipelineExamples: Example[];
  inferenceSamples: number;
  joints: number;
  /** Also time each kernel of one training step (tf.profile) and report the heaviest. */
  profile?: boolean;
}

export interface Summary {
  mean: number;
  std: number;
  median: number;
  samples: number;
}

export interface BenchmarkResult {
  backend: BackendName;
  backendNotes: BackendAttempt[];
  /** What the backend runs on, where it says (GPU names). */
  devices: string[];
  model: ModelName;
  params: number;
  batchSize: number;
  train: { imagesPerSecond: Summary; secondsPerStep: Summary } | null;
  /** Peak resident memory of this (fresh) process after its training steps, before inference: the model, optimizer state, step engine and data pipeline. */
  trainPeakRssMb: number | null;
  /** What ran the training steps: oneDNN, the whole-step ONNX graph or tfjs' kernels, with why a better one did not. */
  trainEngine: { engine: StepEngineName; reason?: string };
  /** Images/s over consecutive pipeline-fed steps, wall clock (decode overlapping the steps). */
  endToEnd: { imagesPerSecond: number; steps: number } | null;
  inference: { msPerImage: Summary; engine: Regressor['engine'] };
  /** The same with the hidden dense layers as 8-bit codes (PredictRequest.denseWeights int8), where the backend reads them so (onnx-cpu). */
  inferenceInt8Dense: { msPerImage: Summary } | null;
  /** Milliseconds per kernel name over one profiled training step, heaviest first. */
  stepProfile: Array<{ kernel: string; ms: number; calls: number }> | null;
}

export type BenchmarkPhase = 'warm-up' | 'train' | 'pipeline' | 'inference';

export async function runBenchmark(
  options: BenchmarkOptions,
  onSample: (phase: BenchmarkPhase, n: number, total: number) => void = () => undefined,
): Promise<BenchmarkResult> {
  const backend = await selectBackend(options.backend);
  const arch = architectures[options.model];
  const model = buildModel(arch, options.joints, 0);
  const optimizer = new FusedMomentumOptimizer(0.01, 0.9);
  const s = arch.inputSize;
  const dropoutSeeds = Array.from({ length: dropoutLayerCount(model) }, (_, i) => i + 1);
  const whole = chooseEngine(backend.name, model, optimizer, options.batchSize);
  /** One training step as the trainer takes it; resolves when the loss is on the host. */
  const step = async (batch: StepBatch) => {
    await whole.engine.step(batch, dropoutSeeds, 0.01);
  };

  let train: BenchmarkResult['train'] = null;
  let stepProfile: BenchmarkResult['stepProfile'] = null;
  const timed = options.trainIterations > 0;
  if (timed || options.pipelineIterations > 0) {
    const fixed: StepBatch = {
      pixels: tf.tidy(
        () => tf.randomUniform([options.batchSize, s, s, 3], 0, 1, 'float32', 1).dataSync() as Float32Array,
      ),
      targets: tf.tidy(
        () => tf.randomUniform([options.batchSize, options.joints * 2], 0, 1, 'float32', 2).dataSync() as Float32Array,
      ),
      weights: new Float32Array(options.batchSize * options.joints).fill(1),
      size: options.batchSize,
    };
    for (let i = 0; i < options.warmupSteps; i++) {
      await step(fixed);
      onSample('warm-up', i + 1, options.warmupSteps);
    }
    const steps: number[] = [];
    for (let i = 0; i < options.trainIterations; i++) {
      const start = performance.now();
      await step(fixed);
      steps.push((performance.now() - start) / 1000);
      onSample('train', i + 1, options.trainIterations);
    }
    // One graph has no per-kernel profile in tfjs' terms.
    if (options.profile && timed && whole.engine.name === 'tfjs') stepProfile = await profileStep(() => step(fixed));
    if (timed)
      train = { imagesPerSecond: summarise(steps.map((t) => options.batchSize / t)), secondsPerStep: summarise(steps) };
  }

  const endToEnd =
    options.pipelineIterations > 0 ? await pipelineRate(options, arch.inputSize, baseSize(arch), step, onSample) : null;

  // maxRSS is in kB; the process is fresh (bench runs each backend in its own), so this is training's peak.
  const trainPeakRssMb = timed || endToEnd ? Math.round(process.resourceUsage().maxRSS / 1024) : null;
  whole.syncToTfjs();
  whole.engine.dispose();
  // Inference as prediction jobs run it (on onnx-cpu, the whole network as one ONNX graph).
  const artifacts = await modelArtifacts(model);
  const one = tf.randomUniform([1, s, s, 3], 0, 1, 'float32', 3);
  const pixels = one.dataSync() as Float32Array;
  one.dispose();
  const timePredictions = async (regressor: Regressor) => {
    const latencies: number[] = [];
    // One untimed prediction: the first run builds kernels and sessions.
    for (let i = 0; i < 1 + options.inferenceSamples; i++) {
      const start = performance.now();
      await regressor.predict(pixels, 1);
      if (i >= 1) latencies.push(performance.now() - start);
      onSample('inference', i, options.inferenceSamples);
    }
    regressor.dispose();
    return summarise(latencies);
  };
  const regressor = await loadRegressor(artifacts, backend.name);
  const latency = await timePredictions(regressor);
  // Where the backend reads 8-bit codes (the regressor says; it falls back to float32 elsewhere).
  const quantized = await loadRegressor(artifacts, backend.name, 'int8');
  const int8 = quantized.dense === 'int8' ? await timePredictions(quantized) : (quantized.dispose(), null);
  const result: BenchmarkResult = {
    backend: backend.name,
    backendNotes: backend.attempts,
    devices: backend.devices,
    model: options.model,
    params: model.countParams(),
    batchSize: options.batchSize,
    train,
    trainPeakRssMb,
    trainEngine: { engine: whole.engine.name, reason: whole.reason },
    endToEnd,
    inference: { msPerImage: latency, engine: regressor.engine },
    inferenceInt8Dense: int8 && { msPerImage: int8 },
    stepProfile,
  };
  optimizer.dispose();
  model.dispose();
  return result;
}

/**
 * Steps fed as the trainer feeds them: seeded, augmented batches decoded ahead on sharp's
 * threads. The few sample images are repeated to fill the steps (each is decoded again).
 * The clock starts once the first batch is ready: a long epoch waits for that one only once.
 */
async function pipelineRate(
  options: BenchmarkOptions,
  input: number,
  base: number,
  step: (batch: StepBatch) => Promise<void>,
  onSample: (phase: BenchmarkPhase, n: number, total: number) => void,
): Promise<{ imagesPerSecond: number; steps: number }> {
  const images = options.pipelineExamples;
  if (images.length === 0) throw new Error('the pipeline benchmark needs example images');
  const examples = Array.from(
    { length: options.pipelineIterations * options.batchSize },
    (_, i) => images[i % images.length],
  );
  const pipeline: PipelineOptions = {
    base,
    input,
    joints: options.joints,
    cropScale: 1.5,
    augment: true,
    flip: true,
    flipPairs: [],
    seed: 0,
    useVisibility: true,
    countOccluded: true,
  };
  let steps = 0;
  let start = 0;
  for await (const batch of trainingBatches(examples, options.batchSize, 0, 0, pipeline)) {
    if (steps === 0) start = performance.now();
    await step(batch);
    onSample('pipeline', ++steps, options.pipelineIterations);
  }
  return { imagesPerSecond: round((steps * options.batchSize) / ((performance.now() - start) / 1000)), steps };
}

const PROFILE_ROWS = 12;

async function profileStep(step: () => Promise<void>): Promise<NonNullable<BenchmarkResult['stepProfile']>> {
  const info = await tf.profile(step);
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const row = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    byKernel.set(k.name, { ms: row.ms + (k.kernelTimeMs as number), calls: row.calls + 1 });
  }
  return [...byKernel]
    .map(([kernel, { ms, calls }]) => ({ kernel, ms: Math.round(ms), calls }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, PROFILE_ROWS);
}

export function summarise(values: number[]): Summary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  const sorted = [...values].sort((a, b) => a - b);
  return {
    mean: round(mean),
    std: round(std),
    median: round(sorted[Math.floor(sorted.length / 2)]),
    samples: values.length,
  };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
