// The host side of training runs: reads the catalog, starts the worker as a task, stores
// every event as catalog rows (the worker never writes the catalog) and relays them to
// the doors. A page reload only re-reads the rows; the run itself lives on in main.
import { rmSync } from 'node:fs';
import { StudioError } from '../../../src-shared/api/define';
import type {
  DatasetSummary,
  MetricRow,
  RunEvent,
  RunSummary,
  TrainingSettingsInput,
} from '../../../src-shared/api/training.contract';
import {
  epochLabel,
  trainingConfigSchema,
  type EngineName,
  type TrainingConfig,
} from '../../../src-shared/training/config';
import type { WorkerEvent } from '../../../src-shared/training/protocol';
import { runConfig, toWorkerExamples } from './run-config';
import { runBaseline } from './run-baseline';
import { DEFAULT_VAL_SPLIT, ensureValidationSplit } from '../catalog/default-val-split';
import { poseReport } from '../metrics/pose-report';
import { writeModelEvaluation } from '../metrics/model-evaluation';
import { fitMeanPose, posesInView } from '../metrics/mean-pose-baseline';
import type { Joints } from '../pose/pose-joints';
import type { Skeleton } from '../../../src-shared/domain/skeleton';
import type { Catalog } from '../catalog/open-catalog';
import { listExamples } from '../catalog/examples';
import { readProject } from '../catalog/project-info';
import {
  addMetrics,
  createRun,
  requireRunFolder,
  deleteMetricsAfter,
  deleteRun,
  getRun,
  listMetrics,
  listRuns,
  updateRun,
  type Run,
} from '../catalog/runs';
import { readProgress } from '../pose/checkpoint-folder';
import { acquireRunLock, describeOwner, runOwner, type RunLock } from '../files/run-lock';
import { diskProblemOf } from '../files/io-errors';
import { getProjectCatalogs } from '../catalog/project-catalogs';
import type { StudioContext } from '../studio-context';
import { perStudio } from '../per-studio';
import { startTrainingWorker, type TrainingHandle } from './training-host';
import { startTorchTraining } from '../torch/torch-training';
import type { TorchOptions } from '../torch/torch-launch';
import { writeClusterBundle } from '../torch/cluster-bundle';
import { importTorchRun } from '../torch/import-run';
import { saveTorchModelWith } from '../torch/save-model-job';

const MIN_TRAIN_INSTANCES = 20;

/** What a run's validations are scored against: the val split's labels and the baseline's answers on it. */
interface ValidationScoring {
  skeleton: Skeleton;
  truth: Joints[];
  baseline: Joints[] | null;
  countOccluded: boolean;
}

interface ActiveRun {
  project: string;
  taskId: string;
  handle: TrainingHandle;
}

export class RunService {
  private readonly active = new Map<string, ActiveRun>();

  private closeRegistered = false;

  constructor(private readonly ctx: StudioContext) {}

  /**
   * Closing the studio stops its runs cleanly (each writes a checkpoint). Registered at the
   * first launch, after the catalogs it writes to, so that it runs before they close.
   */
  private stopRunsOnClose(): void {
    if (this.closeRegistered) return;
    this.closeRegistered = true;
    this.ctx.onClose(async () => {
      const ending = [...this.active.values()].map((run) => {
        run.handle.stop();
        return run.handle.done;
      });
      await Promise.all(ending);
    });
  }

  summary(project: string): DatasetSummary {
    const catalog = this.catalog(project);
    const joints = readProject(catalog).skeleton.joints.length;
    const bySplit = {
      train: listExamples(catalog, 'train'),
      val: listExamples(catalog, 'val'),
      test: listExamples(catalog, 'test'),
    };
    const labeledJoints = Object.values(bySplit)
      .flat()
      .reduce((sum, e) => sum + e.joints.filter((j) => j[2] > 0).length, 0);
    const warnings: string[] = [];
    if (bySplit.train.length === 0)
      warnings.push('No labeled instances in the train split: label some images or assign splits first.');
    else if (bySplit.train.length < MIN_TRAIN_INSTANCES)
      warnings.push(`Only ${bySplit.train.length} labeled training instances: expect a weak model (hundreds help).`);
    if (bySplit.val.length === 0) {
      warnings.push(
        `No labeled instances in the val split: a run holds out a seeded ${100 * DEFAULT_VAL_SPLIT.fraction}% of the train pictures as val when it starts (Assign splits to choose your own).`,
      );
    }
    return {
      instances: { train: bySplit.train.length, val: bySplit.val.length, test: bySplit.test.length },
      labeledJoints,
      joints,
      warnings,
    };
  }

  /** `note` says when the project had no validation pictures and the run held out a default split; `torch`: how the PyTorch engine runs here (python, processes), for runs whose settings choose it. */
  start(
    project: string,
    settings: TrainingSettingsInput,
    name?: string,
    torch: TorchOptions = {},
  ): { runId: string; taskId: string; note: string | null } {
    const catalog = this.catalog(project);
    const config = runConfig(catalog, settings);
    const train = listExamples(catalog, 'train');
    if (train.length === 0)
      throw new StudioError('bad-input', `${project}: no labeled instances in the train split to learn from`);
    // Every run reports held-out accuracy: a project with nothing in val gets a seeded default split first.
    const split = ensureValidationSplit(catalog);
    const run = createRun(catalog, { name: name ?? `${config.model} · ${config.optimizer} · lr ${config.lr}`, config });
    if (split) updateRun(catalog, run.id, { splitNote: split.note });
    return {
      runId: run.id,
      taskId: this.launch(project, catalog, run, config, null, torch),
      note: split?.note ?? null,
    };
  }

  /**
   * The run these settings would train, written as a PyTorch run bundle in `out` (for a
   * cluster): the bundle, the engine's package beside it, a torchrun line and an sbatch script.
   */
  async writeBundle(
    project: string,
    settings: TrainingSettingsInput,
    out: string,
  ): Promise<{ dir: string; train: number; val: number; launch: string }> {
    const catalog = this.catalog(project);
    const config = runConfig(catalog, { ...settings, engine: 'torch' });
    const dataset = {
      train: toWorkerExamples(listExamples(catalog, 'train')),
      val: toWorkerExamples(listExamples(catalog, 'val')),
    };
    if (dataset.train.length === 0)
      throw new StudioError('bad-input', `${project}: no labeled instances in the train split to learn from`);
    return writeClusterBundle(out, config, dataset);
  }

  /** A run bundle trained elsewhere (`--bundle-only`, then torchrun) as a finished run of this project, with its curves and model. */
  async importTrained(project: string, dir: string, outDir?: string): Promise<RunSummary> {
    return this.summarize(
      await importTorchRun(this.catalog(project), dir, saveTorchModelWith(this.ctx.launchWorker), outDir),
    );
  }

  /**
   * Continues from `checkpoint` when given, else from the run's newest valid checkpoint; `engine`
   * goes on with another training engine (a CPU engine's checkpoint on PyTorch, or back).
   */
  resume(
    project: string,
    runId: string,
    checkpoint?: string,
    torch: TorchOptions = {},
    engine?: EngineName,
  ): { runId: string; taskId: string } {
    const catalog = this.catalog(project);
    const run = getRun(catalog, runId);
    if (this.active.has(runId)) throw new StudioError('conflict', `run '${run.name}' is already running`);
    requireRunFolder(catalog, run);
    const owner = runOwner(run.dir);
    if (owner) throw new StudioError('conflict', describeOwner(run.name, owner));
    if (run.status === 'finished')
      throw new StudioError('conflict', `run '${run.name}' has finished; start a new run to train further`);
    const config = trainingConfigSchema.parse({ ...(run.config as object), ...(engine ? { engine } : {}) });
    return { runId, taskId: this.launch(project, catalog, run, config, checkpoint ?? run.dir, torch) };
  }

  stop(project: string, runId: string): RunSummary {
    const active = this.active.get(runId);
    if (!active) throw new StudioError('conflict', `run '${runId}' is not running in this studio`);
    active.handle.stop();
    return this.summarize(getRun(this.catalog(project), runId));
  }

  list(project: string): RunSummary[] {
    return listRuns(this.catalog(project)).map((run) => this.summarize(this.reconcile(project, run)));
  }

  get(project: string, runId: string): { run: RunSummary; metrics: MetricRow[] } {
    const catalog = this.catalog(project);
    const run = this.reconcile(project, getRun(catalog, runId));
    const metrics = listMetrics(catalog, runId); // with each row's time: a log rebuilt after reattaching dates every line by it
    return { run: this.summarize(run), metrics };
  }

  delete(project: string, runId: string): { deleted: true } {
    if (this.active.has(runId)) throw new StudioError('conflict', 'stop the run before deleting it');
    const catalog = this.catalog(project);
    const run = getRun(catalog, runId);
    requireRunFolder(catalog, run);
    const owner = runOwner(run.dir);
    if (owner) throw new StudioError('conflict', describeOwner(run.name, owner));
    deleteRun(catalog, runId);
    rmSync(run.dir, { recursive: true, force: true });
    return { deleted: true };
  }

  private launch(
    project: string,
    catalog: Catalog,
    run: Run,
    config: TrainingConfig,
    resumeFrom: string | null,
    torch: TorchOptions = {},
  ): string {
    const examples = { train: listExamples(catalog, 'train'), val: listExamples(catalog, 'val') };
    const dataset = { train: toWorkerExamples(examples.train), val: toWorkerExamples(examples.val) };
    const startedAt = Date.now();
    const previousSeconds = resumeFrom ? (run.durationSeconds ?? 0) : 0;
    // Taken before the row says 'running': a run another process trains is refused here.
    const lock: RunLock = acquireRunLock(run.dir, run.name);
    // Measured on the data this launch validates on (a resume re-reads the splits).
    const skeleton = readProject(catalog).skeleton;
    const baseline = runBaseline(examples.train, examples.val, config);
    const baselineReport = baseline
      ? poseReport({
          skeleton,
          truth: examples.val.map((e) => e.joints),
          stages: [],
          baseline: baseline.predictions,
          countOccluded: config.countOccluded,
        }).baseline
      : null;
    updateRun(catalog, run.id, {
      status: 'running',
      startedAt: run.startedAt ?? startedAt,
      endedAt: null,
      error: null,
      baselineValPck: baseline?.pck ?? null,
      baselineValPcp: baselineReport?.pcp ?? null,
    });
    writeModelEvaluation(run.dir, { skeleton, meanPose: fitMeanPose(posesInView(examples.train)) });
    const scoring: ValidationScoring = {
      skeleton,
      truth: examples.val.map((e) => e.joints),
      baseline: baseline?.predictions ?? null,
      countOccluded: config.countOccluded,
    };
    this.stopRunsOnClose();
    const { task } = this.ctx.tasks.start('training', `Training ${run.name}`, async (taskCtx) => {
      let handle: TrainingHandle;
      try {
        const request = { config, dataset, runDir: run.dir, resumeFrom: resumeFrom ?? undefined };
        const onEvent = (event: WorkerEvent) => {
          this.record(catalog, run.id, event, scoring);
          if (event.type === 'progress') {
            taskCtx.progress(
              event.iteration,
              event.totalIterations,
              `${epochLabel(config, event.epoch)} · loss ${event.loss.toFixed(4)} · ${event.imagesPerSecond.toFixed(1)} img/s`,
              event.etaSeconds,
            );
          }
          this.ctx.bus.emit('training.event', { project, runId: run.id, event: toRunEvent(event) });
        };
        handle =
          config.engine === 'torch'
            ? startTorchTraining(request, torch, saveTorchModelWith(this.ctx.launchWorker), onEvent)
            : startTrainingWorker(this.ctx.launchWorker, request, onEvent);
      } catch (error) {
        // No worker, so the run is not 'running' and not ours any more.
        lock.release();
        updateRun(catalog, run.id, { status: 'failed', endedAt: Date.now(), error: (error as Error).message });
        throw error;
      }
      this.active.set(run.id, { project, taskId: taskCtx.id, handle });
      taskCtx.signal.addEventListener('abort', () => handle.stop(), { once: true });
      // The run ends in the catalog only once its worker has exited, so that a resume
      // that follows at once never meets the old worker.
      const end = await handle.done.finally(() => {
        this.active.delete(run.id);
        lock.release();
      });
      const seconds = previousSeconds + (Date.now() - startedAt) / 1000;
      // A full disk is the user's to fix, not a bug: one line naming the run folder.
      const disk = end.type === 'failed' ? diskProblemOf(end.error) : null;
      const error = end.type === 'failed' ? (disk ? `${run.dir}: cannot write, ${disk}` : end.error) : null;
      updateRun(catalog, run.id, { status: end.type, endedAt: Date.now(), durationSeconds: seconds, error });
      if (end.type === 'failed') throw new StudioError(disk ? 'bad-input' : 'internal', error ?? end.error);
      if (end.type === 'stopped') taskCtx.stoppedEarly?.('stopped · checkpoint saved');
      return { runId: run.id, status: end.type };
    });
    return task.id;
  }

  /** Progress and validation become metric rows as they arrive; the end is stored on exit. */
  private record(catalog: Catalog, runId: string, event: WorkerEvent, scoring: ValidationScoring): void {
    const at = Date.now();
    switch (event.type) {
      case 'started':
        updateRun(catalog, runId, { backend: event.backend });
        // Rows past the checkpoint belong to the timeline the resume abandons; they come again.
        if (event.resumedFrom) deleteMetricsAfter(catalog, runId, readProgress(event.resumedFrom).iteration);
        break;
      case 'progress':
        addMetrics(catalog, runId, [
          {
            epoch: event.epoch,
            iteration: event.iteration,
            split: 'train',
            loss: event.loss,
            pck: null,
            imagesPerSecond: event.imagesPerSecond,
            at,
          },
        ]);
        break;
      case 'validation': {
        addMetrics(catalog, runId, [
          {
            epoch: event.epoch,
            iteration: event.iteration,
            split: 'val',
            loss: event.loss,
            pck: event.pck,
            imagesPerSecond: null,
            at,
          },
        ]);
        const best = getRun(catalog, runId).bestValPck;
        if (event.pck !== null && (best === null || event.pck > best))
          updateRun(catalog, runId, { bestValPck: event.pck });
        if (event.stageJoints && event.stageJoints.every((stage) => stage.length === scoring.truth.length)) {
          const report = poseReport({ ...scoring, stages: event.stageJoints });
          updateRun(catalog, runId, { valReport: report, valPcp: report.stages.at(-1)?.pcp ?? null });
        }
        break;
      }
      default:
        break;
    }
  }

  /** A run the catalog calls running that no live worker owns (here or in another process) was cut off. */
  private reconcile(project: string, run: Run): Run {
    if (run.status !== 'running' || this.active.has(run.id) || runOwner(run.dir)) return run;
    return updateRun(this.catalog(project), run.id, {
      status: 'stopped',
      error: 'interrupted: the studio closed while it ran (resume continues from its newest checkpoint)',
    });
  }

  private summarize(run: Run): RunSummary {
    return { ...run, config: run.config as Record<string, unknown>, taskId: this.active.get(run.id)?.taskId ?? null };
  }

  private catalog(project: string): Catalog {
    return getProjectCatalogs(this.ctx).get(project);
  }
}

/** One run service per studio, shared by its handlers and the CLI. */
export const runServiceFor = perStudio((ctx) => new RunService(ctx));

/** A worker event as the public run event: a validation's stageJoints stay with the host (record scores them). */
export function toRunEvent(event: WorkerEvent): RunEvent {
  if (event.type !== 'validation') return event;
  const { stageJoints: _hostOnly, ...shown } = event;
  return shown;
}
