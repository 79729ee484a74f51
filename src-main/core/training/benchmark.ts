// The reference benchmark: AlexNet training throughput at batch 32 (MomentumSGD lr 0.01
// momentum 0.9, the reference loss, dropout on) and batch-1 inference latency, measured
// as the reference work did: many samples, mean and standard deviation.
import * as tf from '@tensorflow/tfjs';
import type { BackendName, ModelName } from '../../../src-shared/training/config';
import type { BackendAttempt } from '../../../src-shared/training/protocol';
import { selectBackend } from './backends/select-backend';
import { poseLoss } from './loss';
import { architectures } from './models/architectures';
import { buildModel, dropoutLayerCount, forwardTrain } from './models/build-model';

export interface BenchmarkOptions {
  backend: BackendName | 'auto';
  model: ModelName;
  batchSize: number;
  trainIterations: number;
  inferenceSamples: number;
  joints: number;
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
  model: ModelName;
  params: number;
  batchSize: number;
  train: { imagesPerSecond: Summary; secondsPerStep: Summary };
  inference: { msPerImage: Summary };
}

const WARMUP = 1;

export async function runBenchmark(options: BenchmarkOptions, onSample: (what: string, n: number) => void = () => undefined): Promise<BenchmarkResult> {
  const backend = await selectBackend(options.backend);
  const arch = architectures[options.model];
  const model = buildModel(arch, options.joints, 0);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const s = arch.inputSize;
  const x = tf.randomUniform([options.batchSize, s, s, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const target = tf.randomUniform([options.batchSize, options.joints * 2], 0, 1, 'float32', 2) as tf.Tensor2D;
  const mask = tf.ones([options.batchSize, options.joints]) as tf.Tensor2D;
  const dropoutSeeds = Array.from({ length: dropoutLayerCount(model) }, (_, i) => i + 1);

  const steps: number[] = [];
  for (let i = 0; i < WARMUP + options.trainIterations; i++) {
    const start = performance.now();
    const loss = optimizer.minimize(() => poseLoss(forwardTrain(model, x, dropoutSeeds), target, mask), true, variables) as tf.Scalar;
    await loss.data();
    loss.dispose();
    if (i >= WARMUP) steps.push((performance.now() - start) / 1000);
    onSample('train', i + 1);
  }

  const one = tf.randomUniform([1, s, s, 3], 0, 1, 'float32', 3);
  const latencies: number[] = [];
  for (let i = 0; i < WARMUP + options.inferenceSamples; i++) {
    const start = performance.now();
    const y = model.predict(one) as tf.Tensor;
    await y.data();
    y.dispose();
    if (i >= WARMUP) latencies.push(performance.now() - start);
    onSample('inference', i + 1);
  }
  const result: BenchmarkResult = {
    backend: backend.name,
    backendNotes: backend.attempts,
    model: options.model,
    params: model.countParams(),
    batchSize: options.batchSize,
    train: { imagesPerSecond: summarise(steps.map((t) => options.batchSize / t)), secondsPerStep: summarise(steps) },
    inference: { msPerImage: summarise(latencies) },
  };
  tf.dispose([x, target, mask, one]);
  optimizer.dispose();
  model.dispose();
  return result;
}

export function summarise(values: number[]): Summary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { mean: round(mean), std: round(std), median: round(sorted[Math.floor(sorted.length / 2)]), samples: values.length };
}
