// The training loop the worker runs: builds or resumes the model, steps through seeded
// batches, validates, checkpoints, and reports everything as WorkerEvents.
import * as tf from '@tensorflow/tfjs';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkpointInterval, trainingConfigSchema, type TrainingConfig } from '../../../src-shared/training/config';
import type { MetricPoint, TrainRequest, WorkerEvent } from '../../../src-shared/training/protocol';
import { selectBackend } from './backends/select-backend';
import { checkpointsDir, findResumePoint, pruneCheckpoints, loadCheckpointModel, loadCheckpointOptimizer, readProgress, writeCheckpoint, type Progress } from './checkpoints';
import { batchCount, trainingBatches, type PipelineOptions } from './data/batches';
import { poseLoss } from './loss';
import { architectures, baseSize } from './models/architectures';
import { buildModel, dropoutLayerCount, forwardTrain } from './models/build-model';
import { saveModel } from './models/model-files';
import { syncDir } from '../files/durable-write';
import { createOptimizer, learningRateAt, setLearningRate } from './optimizer';
import { streamFor } from './rng';
import { validate } from './validate';

const PROGRESS_INTERVAL_MS = 250;

export interface TrainingControl {
  emit(event: WorkerEvent): void;
  /** True once the host asked to stop: the loop finishes its step, checkpoints and returns. */
  stopRequested(): boolean;
}

export async function runTraining(request: TrainRequest, control: TrainingControl): Promise<void> {
  const config = trainingConfigSchema.parse(request.config);
  const { train, val } = request.dataset;
  if (train.length === 0) throw new Error('the training set is empty: label some images of the train split first');
  const arch = architectures[config.model];
  const backend = await selectBackend(config.backend);

  let progress: Progress = { epoch: 0, batch: 0, iteration: 0, rng: { seed: config.seed, scheme: 'counter-v1' }, history: [], config };
  let model: tf.LayersModel;
  let resumedFrom: string | null = null;
  let skipped: string[] = [];
  const optimizer = createOptimizer(config);
  if (request.resumeFrom) {
    const point = findResumePoint(request.resumeFrom);
    skipped = point.skipped;
    resumedFrom = point.dir;
    const saved = readProgress(point.dir);
    checkResumable(saved.config, config, point.dir);
    progress = { ...saved, config, rng: { seed: config.seed, scheme: 'counter-v1' } };
    model = await loadCheckpointModel(point.dir);
    await loadCheckpointOptimizer(point.dir, optimizer);
  } else {
    model = buildModel(arch, config.joints, config.seed);
  }

  control.emit({
    type: 'started',
    backend: backend.name,
    backendNotes: backend.attempts,
    model: arch.name,
    trainSize: train.length,
    valSize: val.length,
    params: model.countParams(),
    resumedFrom,
    skipped,
  });

  const pipeline: PipelineOptions = { ...config, base: baseSize(arch), input: arch.inputSize, seed: config.seed };
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const dropouts = dropoutLayerCount(model);
  const itersPerEpoch = batchCount(train.length, config.batchSize);
  const totalIterations = itersPerEpoch * config.epochs;
  const everyCheckpoint = checkpointInterval(config);
  const sessionStart = Date.now();
  const sessionStartIteration = progress.iteration;
  let lastProgress = 0;
  // Resuming from one of this run's own checkpoints: it already holds the current state.
  let lastCheckpoint = resumedFrom && resumedFrom.startsWith(checkpointsDir(request.runDir)) ? { path: resumedFrom, iteration: progress.iteration } : null;

  /** Writes a checkpoint of the current state unless the last one already is. */
  const checkpoint = async () => {
    if (lastCheckpoint?.iteration === progress.iteration) return lastCheckpoint.path;
    const path = await writeCheckpoint(request.runDir, model, optimizer, progress);
    pruneCheckpoints(request.runDir, config.keepCheckpoints);
    lastCheckpoint = { path, iteration: progress.iteration };
    control.emit({ type: 'checkpoint', path, epoch: progress.epoch, iteration: progress.iteration });
    return path;
  };
  const stop = async () => {
    const path = await checkpoint();
    control.emit({ type: 'stopped', epoch: progress.epoch, iteration: progress.iteration, checkpoint: path });
  };

  while (progress.epoch < config.epochs) {
    const epoch = progress.epoch;
    const lr = learningRateAt(config, epoch);
    setLearningRate(optimizer, lr);
    const epochStart = Date.now();
    let images = 0;
    let lossSum = 0;
    let steps = 0;
    for await (const batch of trainingBatches(train, config.batchSize, epoch, progress.batch, pipeline)) {
      const seeds = streamFor(config.seed, 'dropout', epoch, progress.batch);
      const dropoutSeeds = Array.from({ length: dropouts }, () => seeds.seed());
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(batch.pixels, [batch.size, arch.inputSize, arch.inputSize, 3]);
        const target = tf.tensor2d(batch.targets, [batch.size, config.joints * 2]);
        const mask = tf.tensor2d(batch.weights, [batch.size, config.joints]);
        return optimizer.minimize(() => poseLoss(forwardTrain(model, x, dropoutSeeds), target, mask), true, variables) as tf.Scalar;
      });
      const value = (await loss.data())[0];
      loss.dispose();
      if (!Number.isFinite(value)) throw new Error(`training diverged at epoch ${epoch + 1}, iteration ${progress.iteration + 1} (loss ${value}); try a lower learning rate`);
      progress = { ...progress, batch: progress.batch + 1, iteration: progress.iteration + 1 };
      images += batch.size;
      lossSum += value;
      steps++;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS || progress.batch === itersPerEpoch) {
        lastProgress = now;
        const perIteration = (now - sessionStart) / 1000 / Math.max(1, progress.iteration - sessionStartIteration);
        control.emit({
          type: 'progress',
          epoch: epoch + 1,
          iteration: progress.iteration,
          itersPerEpoch,
          loss: value,
          lr,
          imagesPerSecond: images / Math.max(1e-3, (now - epochStart) / 1000),
          etaSeconds: Math.round(perIteration * (totalIterations - progress.iteration)),
        });
      }
      if (control.stopRequested()) return stop();
    }
    progress = { ...progress, epoch: epoch + 1, batch: 0 };
    const imagesPerSecond = images / Math.max(1e-3, (Date.now() - epochStart) / 1000);
    const trainPoint: MetricPoint = { epoch: epoch + 1, iteration: progress.iteration, split: 'train', loss: lossSum / Math.max(1, steps), pck: null, imagesPerSecond };
    progress.history = [...progress.history, trainPoint];
    control.emit({ type: 'epoch', epoch: epoch + 1, iteration: progress.iteration, loss: trainPoint.loss, imagesPerSecond });
    const last = progress.epoch === config.epochs;
    if (val.length > 0 && (progress.epoch % config.valEvery === 0 || last)) {
      const result = await validate(model, val, config, pipeline);
      progress.history = [...progress.history, { epoch: progress.epoch, iteration: progress.iteration, split: 'val', loss: result.loss, pck: result.pck, imagesPerSecond: null }];
      control.emit({ type: 'validation', epoch: progress.epoch, iteration: progress.iteration, loss: result.loss, pck: result.pck, samples: result.samples });
    }
    if (progress.epoch % everyCheckpoint === 0 || last) await checkpoint();
    if (control.stopRequested() && !last) return stop();
  }

  const modelDir = join(request.runDir, 'model');
  await saveFinalModel(model, modelDir);
  const finalCheckpoint = await checkpoint();
  control.emit({ type: 'finished', epoch: progress.epoch, iteration: progress.iteration, modelDir, checkpoint: finalCheckpoint, history: progress.history });
}

/** A resumed run must train the same network on the same joints. */
function checkResumable(saved: TrainingConfig, wanted: TrainingConfig, dir: string): void {
  for (const key of ['model', 'joints', 'optimizer'] as const) {
    if (saved[key] !== wanted[key]) throw new Error(`cannot resume from ${dir}: it was trained with ${key} '${saved[key]}', this run asks for '${wanted[key]}'`);
  }
}

/** The run's model folder is replaced as a whole: written beside it, then renamed. */
async function saveFinalModel(model: tf.LayersModel, dir: string): Promise<void> {
  const temp = `${dir}.partial-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  await saveModel(model, temp, false);
  syncDir(temp);
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  renameSync(temp, dir);
  syncDir(dirname(dir));
}
