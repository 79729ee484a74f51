// The training loop the worker runs: for each stage of the cascade, builds or resumes that
// stage's network, steps through seeded batches, validates, checkpoints, and reports
// everything as WorkerEvents. Stage 1 learns every joint from the person's view; each later
// stage learns to refine one joint from a sub-image around a simulated estimate of it, while
// the stages before it stay frozen. Epochs and iterations count across stages.
import * as tf from '@tensorflow/tfjs';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  epochsBeforeStage,
  isCheckpointEpoch,
  runIterations,
  stageEpochs,
  stageExampleCount,
  stageKind,
  totalEpochs,
  trainingConfigSchema,
  type TrainingConfig,
} from '../../../src-shared/training/config';
import type { Example, MetricPoint, TrainRequest, WorkerEvent } from '../../../src-shared/training/protocol';
import { selectBackend } from '../backends/select-backend';
import { pruneCheckpoints, loadCheckpointModel, loadCheckpointOptimizer, writeCheckpoint } from './checkpoints';
import { checkpointsDir, findResumePoint, readProgress, type Progress } from '../pose/checkpoint-folder';
import { batchCount, trainingBatches, type CropExample, type PipelineOptions } from './data/batches';
import { architectures, baseSize, type Architecture } from '../pose/architectures';
import { buildModel, dropoutLayerCount } from './models/build-model';
import { loadModel, saveModel } from './models/model-files';
import { cascadeRule, frozenStageDir, stageFolderName, writeCascadeManifest } from '../pose/cascade-files';
import { syncDir, writeFileDurable } from '../files/durable-write';
import { createOptimizer, learningRateAt, setLearningRate } from './optimizer';
import { streamFor } from './rng';
import { chooseEngine, engineNote } from '../engines/choose-engine';
import { validate, validateCascade, type ValidationResult } from './validate';
import { observeErrors, personExamples, refinementExamples, type ObservedErrors } from './cascade/simulated-estimates';
import type { CascadeRule, StageNet } from '../inference/cascade';

const PROGRESS_INTERVAL_MS = 250;

export interface TrainingControl {
  emit(event: WorkerEvent): void;
  /** True once the host asked to stop: the loop finishes its step, checkpoints and returns. */
  stopRequested(): boolean;
}

/** A network of the cascade as validation and simulated estimates call it. */
function stageNet(model: tf.LayersModel, arch: Architecture): StageNet {
  return {
    input: arch.inputSize,
    base: baseSize(arch),
    async predict(pixels, count) {
      const y = tf.tidy(
        () => model.predict(tf.tensor4d(pixels, [count, arch.inputSize, arch.inputSize, 3])) as tf.Tensor,
      );
      const values = (await y.data()) as Float32Array;
      y.dispose();
      return values;
    },
  };
}

export async function runTraining(request: TrainRequest, control: TrainingControl): Promise<void> {
  const config = trainingConfigSchema.parse(request.config);
  const { train, val } = request.dataset;
  if (train.length === 0) throw new Error('the training set is empty: label some images of the train split first');
  const arch = architectures[config.model];
  const backend = await selectBackend(config.backend);
  const rule = cascadeRule(config);

  let progress: Progress = {
    stage: 1,
    epoch: 0,
    batch: 0,
    iteration: 0,
    rng: { seed: config.seed, scheme: 'counter-v1' },
    history: [],
    config,
  };
  let resumedFrom: string | null = null;
  let skipped: string[] = [];
  if (request.resumeFrom) {
    const point = findResumePoint(request.resumeFrom);
    skipped = point.skipped;
    resumedFrom = point.dir;
    const saved = readProgress(point.dir);
    checkResumable(saved.config, config, point.dir);
    progress = { ...saved, stage: saved.stage ?? 1, config, rng: { seed: config.seed, scheme: 'counter-v1' } };
    adoptFrozenStages(point.dir, request.runDir, progress.stage);
  }

  const pipeline: PipelineOptions = { ...config, base: baseSize(arch), input: arch.inputSize, seed: config.seed };
  const totalIterations = runIterations(config, train.length);
  const lastEpoch = totalEpochs(config);
  const sessionStart = Date.now();
  const sessionStartIteration = progress.iteration;
  let lastProgress = 0;
  // Resuming from one of this run's own checkpoints: it already holds the current state.
  let lastCheckpoint: { path: string; iteration: number; stage: number } | null =
    resumedFrom && resolve(resumedFrom).startsWith(resolve(checkpointsDir(request.runDir)))
      ? { path: resumedFrom, iteration: progress.iteration, stage: progress.stage }
      : null;
  let started = false;
  const frozen: tf.LayersModel[] = [];
  const engines: Array<{ dispose(): void }> = [];

  try {
    for (let stage = progress.stage; stage <= config.stages; stage++) {
      const resuming = resumedFrom !== null && stage === progress.stage && !started;
      const model = resuming
        ? await loadCheckpointModel(resumedFrom!)
        : buildModel(arch, config.joints, stageSeed(config.seed, stage));
      const optimizer = createOptimizer(config);
      if (resuming) await loadCheckpointOptimizer(resumedFrom!, optimizer);
      // On onnx-cpu the whole step runs outside tfjs (oneDNN or one ONNX graph); tfjs' copies
      // of the weights and optimizer state are refreshed (sync) before anything reads them.
      const chosen = chooseEngine(backend.name, model, optimizer, config.batchSize, config.engine);
      const { engine, syncToTfjs: sync } = chosen;
      engines.push(engine);
      while (frozen.length < stage - 1) frozen.push(await loadModel(frozenStageDir(request.runDir, frozen.length + 1)));
      const nets = [...frozen.map((m) => stageNet(m, arch)), stageNet(model, arch)];

      if (!started) {
        started = true;
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
          stepEngine: engineNote(chosen),
        });
      }
      if (progress.stage !== stage) progress = { ...progress, stage, batch: 0 };

      const dropouts = dropoutLayerCount(model);
      const itersPerEpoch = batchCount(stageExampleCount(config, stage, train.length), config.batchSize);
      const kind = stageKind(config, stage);
      const stageEnd = epochsBeforeStage(config, stage) + stageEpochs(config, stage);

      const checkpoint = async () => {
        if (lastCheckpoint?.iteration === progress.iteration && lastCheckpoint.stage === progress.stage)
          return lastCheckpoint.path;
        sync();
        const path = await writeCheckpoint(request.runDir, model, optimizer, progress);
        pruneCheckpoints(request.runDir, { keep: config.keepCheckpoints, keepBest: config.keepBestCheckpoint });
        lastCheckpoint = { path, iteration: progress.iteration, stage: progress.stage };
        control.emit({ type: 'checkpoint', path, epoch: progress.epoch, iteration: progress.iteration });
        return path;
      };
      const stop = async () => {
        const path = await checkpoint();
        control.emit({ type: 'stopped', epoch: progress.epoch, iteration: progress.iteration, checkpoint: path });
      };

      const errors =
        stage > 1
          ? await stageErrors(request.runDir, stage, nets.slice(0, -1), train, rule, config.joints, control)
          : null;
      if (stage > 1 && errors === null) return await stop();

      while (progress.epoch < stageEnd) {
        const epoch = progress.epoch;
        const lr = learningRateAt(config, epoch - epochsBeforeStage(config, stage));
        setLearningRate(optimizer, lr);
        const epochStart = Date.now();
        let images = 0;
        let lossSum = 0;
        let steps = 0;
        const examples: CropExample[] =
          kind === 'whole'
            ? train
            : kind === 'person'
              ? personExamples(train, errors!, rule, config.seed, epoch)
              : refinementExamples(train, errors!, rule, config.refineDraws, config.seed, epoch, config.refineFocus);
        for await (const batch of trainingBatches(examples, config.batchSize, epoch, progress.batch, pipeline)) {
          const seeds = streamFor(config.seed, 'dropout', epoch, progress.batch);
          const dropoutSeeds = Array.from({ length: dropouts }, () => seeds.seed());
          const value = await engine.step(batch, dropoutSeeds, lr);
          if (!Number.isFinite(value))
            throw new Error(
              `training diverged at epoch ${epoch + 1}, iteration ${progress.iteration + 1} (loss ${value}); try a lower learning rate`,
            );
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
              totalIterations,
              loss: value,
              lr,
              imagesPerSecond: images / Math.max(1e-3, (now - epochStart) / 1000),
              etaSeconds: Math.round(perIteration * (totalIterations - progress.iteration)),
            });
          }
          if (control.stopRequested()) return await stop();
        }
        progress = { ...progress, epoch: epoch + 1, batch: 0 };
        const imagesPerSecond = images / Math.max(1e-3, (Date.now() - epochStart) / 1000);
        const trainPoint: MetricPoint = {
          epoch: epoch + 1,
          iteration: progress.iteration,
          split: 'train',
          loss: lossSum / Math.max(1, steps),
          pck: null,
          imagesPerSecond,
        };
        progress.history = [...progress.history, trainPoint];
        control.emit({
          type: 'epoch',
          epoch: epoch + 1,
          iteration: progress.iteration,
          loss: trainPoint.loss,
          imagesPerSecond,
        });
        const endOfStage = progress.epoch === stageEnd;
        const last = progress.epoch === lastEpoch;
        if (val.length > 0 && (progress.epoch % config.valEvery === 0 || endOfStage)) {
          sync();
          const result: ValidationResult | null =
            stage === 1
              ? await validate(model, val, config, pipeline)
              : await validateCascade(nets, val, config, rule, () => control.stopRequested());
          if (result) {
            progress.history = [
              ...progress.history,
              {
                epoch: progress.epoch,
                iteration: progress.iteration,
                split: 'val',
                loss: result.loss,
                pck: result.pck,
                imagesPerSecond: null,
              },
            ];
            control.emit({
              type: 'validation',
              epoch: progress.epoch,
              iteration: progress.iteration,
              loss: result.loss,
              pck: result.pck,
              samples: result.samples,
              stageJoints: result.stageJoints,
            });
          }
        }
        if (isCheckpointEpoch(config, progress.epoch)) await checkpoint();
        if (control.stopRequested() && !last) return await stop();
      }

      sync();
      engine.dispose();
      if (stage < config.stages) {
        await saveWhole(model, frozenStageDir(request.runDir, stage));
        frozen.push(model);
        optimizer.dispose();
      } else {
        const modelDir = join(request.runDir, 'model');
        await saveFinalCascade(model, modelDir, request.runDir, config, rule);
        const finalCheckpoint = await checkpoint();
        control.emit({
          type: 'finished',
          epoch: progress.epoch,
          iteration: progress.iteration,
          modelDir,
          checkpoint: finalCheckpoint,
          history: progress.history,
        });
        return;
      }
    }
  } finally {
    for (const m of frozen) m.dispose();
    for (const e of engines) e.dispose();
  }
}

/** Stage s ≥ 2 starts from its own initial weights, drawn from the run's seed. */
function stageSeed(seed: number, stage: number): number {
  return stage === 1 ? seed : seed + 7919 * (stage - 1);
}

/**
 * The earlier stages' errors on the training set, measured once when a stage starts and kept
 * beside the run (so a resumed stage draws from exactly the same distribution). Null when a
 * stop was asked for while measuring.
 */
async function stageErrors(
  runDir: string,
  stage: number,
  nets: StageNet[],
  train: Example[],
  rule: CascadeRule,
  joints: number,
  control: TrainingControl,
): Promise<ObservedErrors | null> {
  const path = join(runDir, 'stages', `errors-before-stage-${stage}.json`);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as ObservedErrors;
  const errors = await observeErrors(nets, train, rule, joints, () => control.stopRequested());
  if (control.stopRequested()) return null;
  mkdirSync(dirname(path), { recursive: true });
  writeFileDurable(path, JSON.stringify(errors));
  return errors;
}

/** Resuming another run's refinement stage: its frozen stages and measured errors come along. */
function adoptFrozenStages(checkpoint: string, runDir: string, stage: number): void {
  if (stage < 2) return;
  const source = join(dirname(dirname(checkpoint)), 'stages');
  const target = join(runDir, 'stages');
  if (resolve(source) === resolve(target)) return;
  if (!existsSync(source))
    throw new Error(
      `cannot resume from ${checkpoint}: it is a stage-${stage} checkpoint and its run has no earlier stages in ${source}`,
    );
  cpSync(source, target, { recursive: true });
}

/** A TensorFlow.js model folder replaced as a whole: written beside it, then renamed. */
async function saveWhole(model: tf.LayersModel, dir: string): Promise<void> {
  const temp = `${dir}.partial-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  await saveModel(model, temp, false);
  syncDir(temp);
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dirname(dir), { recursive: true });
  renameSync(temp, dir);
  syncDir(dirname(dir));
}

/** The run's model folder: stage 1 at its root, later stages in stage-N/, cascade.json; replaced as a whole. */
async function saveFinalCascade(
  last: tf.LayersModel,
  dir: string,
  runDir: string,
  config: TrainingConfig,
  rule: CascadeRule,
): Promise<void> {
  const temp = `${dir}.partial-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  for (let stage = 1; stage < config.stages; stage++)
    cpSync(frozenStageDir(runDir, stage), join(temp, stageFolderName(stage)), { recursive: true });
  await saveModel(last, join(temp, stageFolderName(config.stages)), false);
  writeCascadeManifest(temp, rule);
  for (let stage = 2; stage <= config.stages; stage++) syncDir(join(temp, stageFolderName(stage)));
  syncDir(temp);
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  renameSync(temp, dir);
  syncDir(dirname(dir));
}

/** A resumed run must train the same network on the same joints, in the same cascade. */
function checkResumable(saved: TrainingConfig, wanted: TrainingConfig, dir: string): void {
  for (const key of ['model', 'joints', 'optimizer'] as const) {
    if (saved[key] !== wanted[key])
      throw new Error(
        `cannot resume from ${dir}: it was trained with ${key} '${saved[key]}', this run asks for '${wanted[key]}'`,
      );
  }
}
