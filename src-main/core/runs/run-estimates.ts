// Before a run: what it will take (time from a speed measured on this machine, disk from the
// network's size and the retention settings) and, when no earlier run gives the speed, a
// calibration of a few steps in a worker, kept for the studio's session.
import { StudioError } from '../../../src-shared/api/define';
import type { BackendStatus, TrainingSettingsInput } from '../../../src-shared/api/training.contract';
import { runIterations, type BackendName, type TrainingConfig } from '../../../src-shared/training/config';
import { CalibrationEvent } from '../../../src-shared/training/protocol';
import type { RunEstimate, StepSpeed } from '../../../src-shared/training/run-estimate';
import { listExamples } from '../catalog/examples';
import { getProjectCatalogs } from '../catalog/project-catalogs';
import { freeBytes } from '../files/free-space';
import { perStudio } from '../per-studio';
import type { StudioContext } from '../studio-context';
import { diskFootprint } from '../training/disk-footprint';
import { architectures } from '../pose/architectures';
import { networkPlan, parameterCount } from '../training/models/network-plan';
import { startWorkerJob } from '../worker/worker-job';
import type { WorkerChannel } from '../worker/worker-launcher';
import { backendAvailability } from './backend-availability';
import { runConfig, toWorkerExamples } from './run-config';
import { speedFromRuns } from './step-speed';

/** Batches a calibration times, warm-up included: the examples it sends to the worker. */
const CALIBRATION_BATCHES = 3;

type Calibrated = Extract<CalibrationEvent, { type: 'calibrated' }>;

function speedKey(config: Pick<TrainingConfig, 'model' | 'batchSize' | 'optimizer'>, backend: string): string {
  return `${config.model}|${backend}|${config.batchSize}|${config.optimizer}`;
}

export class RunEstimates {
  private readonly calibrated = new Map<string, StepSpeed>();
  /** Calibration workers alive now: closing the studio ends them. */
  private readonly workers = new Set<WorkerChannel>();
  private closeRegistered = false;

  constructor(
    private readonly ctx: StudioContext,
    private readonly backends: () => Promise<BackendStatus[]> = () => backendAvailability(),
  ) {}

  async estimate(project: string, settings: TrainingSettingsInput): Promise<RunEstimate> {
    const catalog = getProjectCatalogs(this.ctx).get(project);
    const config = runConfig(catalog, settings);
    const trainCount = listExamples(catalog, 'train').length;
    const arch = architectures[config.model];
    const params = parameterCount(networkPlan(arch, config.joints), arch.inputSize);
    const iterations = runIterations(config, trainCount);
    const backend = await this.backendFor(config.backend);
    // An earlier run timed thousands of steps with real data; a calibration only a few.
    const speed = backend
      ? (speedFromRuns(catalog, { ...config, backend }) ?? this.calibrated.get(speedKey(config, backend)) ?? null)
      : null;
    return {
      params,
      trainCount,
      iterations,
      backend,
      speed,
      seconds: speed ? iterations * speed.secondsPerStep : null,
      disk: diskFootprint(config, params, trainCount),
      freeBytes: freeBytes(catalog.dir),
    };
  }

  /** Times a few steps of these settings in a worker, as a cancellable task; the estimate uses the figure afterwards. */
  measureSpeed(project: string, settings: TrainingSettingsInput): { taskId: string } {
    const catalog = getProjectCatalogs(this.ctx).get(project);
    const config = runConfig(catalog, settings);
    const examples = toWorkerExamples(listExamples(catalog, 'train').slice(0, config.batchSize * CALIBRATION_BATCHES));
    if (examples.length === 0)
      throw new StudioError('bad-input', `${project}: no labeled instances in the train split to time a step on`);
    const { task } = this.ctx.tasks.start(
      'calibration',
      `Measuring the training speed of ${config.model} (batch ${config.batchSize})`,
      async (taskCtx) => {
        taskCtx.progress(0, null, 'timing a few training steps…');
        const isEnd = (event: CalibrationEvent): event is CalibrationEvent =>
          event.type === 'calibrated' || event.type === 'failed';
        const { channel, done } = startWorkerJob(
          this.ctx.launchWorker,
          { type: 'calibrate', config, examples },
          CalibrationEvent,
          isEnd,
          () => undefined,
          'calibration',
        );
        // Nothing worth keeping is half done: cancelling ends the worker at once.
        taskCtx.signal.addEventListener('abort', () => channel.kill(), { once: true });
        this.track(channel);
        const end = await done.finally(() => this.workers.delete(channel));
        taskCtx.throwIfCancelled();
        if (end.type === 'failed') throw new StudioError('internal', end.error);
        const measured = end as Calibrated;
        this.calibrated.set(speedKey(config, measured.backend), {
          secondsPerStep: measured.secondsPerStep,
          source: 'measured',
          runName: null,
          steps: measured.steps,
          at: Date.now(),
        });
        return { backend: measured.backend, secondsPerStep: measured.secondsPerStep };
      },
    );
    return { taskId: task.id };
  }

  private track(channel: WorkerChannel): void {
    this.workers.add(channel);
    if (this.closeRegistered) return;
    this.closeRegistered = true;
    this.ctx.onClose(() => {
      for (const worker of this.workers) worker.kill();
    });
  }

  /** The backend a run with this choice would use: the forced one, or the one 'auto' picks here. */
  private async backendFor(choice: BackendName | 'auto'): Promise<BackendName | null> {
    if (choice !== 'auto') return choice;
    return (await this.backends()).find((b) => b.preferred)?.name ?? null;
  }
}

/** One estimate service per studio: its calibrations last as long as the studio. */
export const runEstimatesFor = perStudio((ctx) => new RunEstimates(ctx));
