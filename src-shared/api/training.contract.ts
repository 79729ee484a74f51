import { z } from 'zod';
import { call } from './define';
import { inputPath, outputPath, projectPath } from './paths';
import { backendNames, engineNames, trainingConfigSchema } from '../training/config';
import {
  CheckpointEvent,
  EpochEvent,
  FailedEvent,
  FinishedEvent,
  ProgressEvent,
  StartedEvent,
  StoppedEvent,
  ValidationEvent,
} from '../training/protocol';
import { RunEstimate } from '../training/run-estimate';
import { PoseReport } from '../training/pose-report';

const project = projectPath();
const runId = z.string().min(1);

export const RunStatus = z.enum(['queued', 'running', 'stopped', 'failed', 'finished']);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: RunStatus,
  backend: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  bestValPck: z.number().nullable(),
  /** The last validation's PCK: what the final model (the last epoch's) scored. */
  lastValPck: z.number().nullable(),
  /**
   * Validation PCK@0.2 of the mean-pose baseline (the training set's average pose, placed by the
   * crop rule) on the run's val split, scored as its validation is; null for runs from before.
   */
  baselineValPck: z.number().nullable(),
  /** PCP@0.5 of the last validation and of the mean-pose baseline (README "Metrics"); null for older runs. */
  valPcp: z.number().nullable().optional(),
  baselineValPcp: z.number().nullable().optional(),
  /** The last validation per stage and joint, with the baseline's: the Train view's per-joint table. */
  valReport: PoseReport.nullable().optional(),
  /** What the run's default validation split did, when it made one. */
  splitNote: z.string().nullable().optional(),
  /** 'lsp' (README "Metrics"); 'rshoulder-lhip-le' for runs scored before those definitions. */
  metricConvention: z.string().nullable().optional(),
  error: z.string().nullable(),
  dir: z.string(),
  /** The task that carries this run while it is running in this session. */
  taskId: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const MetricRow = z.object({
  epoch: z.number(),
  iteration: z.number(),
  split: z.enum(['train', 'val']),
  loss: z.number(),
  pck: z.number().nullable(),
  imagesPerSecond: z.number().nullable(),
  /** When the host stored it (ms since the epoch). */
  at: z.number(),
});
export type MetricRow = z.infer<typeof MetricRow>;

export const BackendStatus = z.object({
  name: z.enum(backendNames),
  available: z.boolean(),
  /** Why it cannot run here, or what it is. */
  reason: z.string(),
  /** The one 'auto' would pick. */
  preferred: z.boolean(),
  /** What a GPU backend runs on, as its probe found (GPU names). */
  devices: z.array(z.string()).optional(),
});
export type BackendStatus = z.infer<typeof BackendStatus>;

export const DatasetSummary = z.object({
  instances: z.object({ train: z.number(), val: z.number(), test: z.number() }),
  labeledJoints: z.number(),
  joints: z.number(),
  warnings: z.array(z.string()),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

/**
 * Settings the user picks; joint count and flip pairs come from the project's skeleton. The batch
 * size is capped where people type it, so 100000 (a typo) is refused with a reason.
 */
export const TrainingSettings = trainingConfigSchema.omit({ joints: true, flipPairs: true });
export type TrainingSettingsInput = z.input<typeof TrainingSettings>;

/** How the PyTorch engine runs on this machine, for runs whose settings choose it. */
export const TorchLaunch = z.object({
  /** The python3 that has torch (default python3 on PATH). */
  python: inputPath('python interpreter').optional(),
  /** Processes on this machine: one per GPU, or CPU processes (more than 1 runs torchrun). */
  nproc: z.number().int().min(1).max(1024).optional(),
});
export type TorchLaunch = z.infer<typeof TorchLaunch>;

/** What a run scored on pictures it never saw (drawn fresh, predicted as any folder is). */
export const NewPicturesScore = z.object({
  folder: z.string(),
  count: z.number().int(),
  /** PCK@0.2 after each cascade stage, stage 1 first. */
  stagePck: z.array(z.number().nullable()),
  baselinePck: z.number().nullable(),
  meanErrorPx: z.number().nullable(),
  backend: z.string(),
});
export type NewPicturesScore = z.infer<typeof NewPicturesScore>;

/** `note`: set when the run held out a default validation split (the project had none). */
const RunStarted = z.object({ runId: z.string(), taskId: z.string(), note: z.string().nullable().optional() });

export const trainingCalls = {
  'training.backends': call(
    z.object({}),
    z.array(BackendStatus),
    'The backends of this machine, which would run and why others cannot.',
  ),
  'training.summary': call(
    z.object({ project }),
    DatasetSummary,
    'What a training run would learn from: instances per split, labeled joints, warnings.',
  ),
  'training.estimate': call(
    z.object({ project, settings: TrainingSettings }),
    RunEstimate,
    "What a run with these settings would take before it starts: steps, time (from a speed measured on this machine, when one is), disk, and the project volume's free space.",
  ),
  'training.measureSpeed': call(
    z.object({ project, settings: TrainingSettings }),
    z.object({ taskId: z.string() }),
    'Time a few training steps of these settings on this machine, as a cancellable task; training.estimate uses the figure afterwards.',
  ),
  'training.start': call(
    z.object({ project, settings: TrainingSettings, name: z.string().optional(), torch: TorchLaunch.optional() }),
    RunStarted,
    'Start a training run in a worker process.',
  ),
  'training.stop': call(
    z.object({ project, runId }),
    RunSummary,
    'Stop a run: it finishes the current step, writes a checkpoint and ends as stopped.',
  ),
  'training.resume': call(
    z.object({
      project,
      runId,
      /** A checkpoint folder of the run to go on from (default: its newest valid one). */
      checkpoint: inputPath('checkpoint folder').optional(),
      torch: TorchLaunch.optional(),
      /** Go on with another training engine (a CPU engine's checkpoint on PyTorch, or back). */
      engine: z.enum(engineNames).optional(),
    }),
    RunStarted,
    'Resume a stopped or failed run from its newest valid checkpoint, or from the checkpoint given.',
  ),
  'training.formSettings': call(
    z.object({ project }),
    z.record(z.string(), z.unknown()).nullable(),
    "The Train form's last values, kept with the project (null before the first change); the form checks each value again.",
  ),
  'training.keepFormSettings': call(
    z.object({ project, settings: z.record(z.string(), z.unknown()) }),
    z.object({ kept: z.literal(true) }),
    "Keep the Train form's values with the project.",
  ),
  'training.writeBundle': call(
    z.object({ project, settings: TrainingSettings, out: outputPath('bundle folder') }),
    z.object({ dir: z.string(), train: z.number().int(), val: z.number().int(), launch: z.string() }),
    'Write the run these settings would train as a PyTorch run bundle (manifest with sha256s, the engine package, a torchrun launch line and an sbatch script) for another machine; trains nothing.',
  ),
  'runs.list': call(z.object({ project }), z.array(RunSummary), "The project's runs, newest first."),
  'runs.import': call(
    z.object({
      project,
      bundle: inputPath('run bundle'),
      /** Where that training wrote its output (default: the bundle's out/). */
      out: inputPath('training output folder').optional(),
    }),
    RunSummary,
    'Bring back a run bundle trained elsewhere by the PyTorch engine as a finished run, with its curves and a model folder.',
  ),
  'runs.scoreNewPictures': call(
    z.object({
      project,
      runId,
      folder: outputPath('new pictures folder'),
      count: z.number().int().min(1).max(100_000),
      seed: z.number().int(),
      backend: z.enum(['auto', ...backendNames] as const).default('auto'),
    }),
    NewPicturesScore,
    "Draw new sample pictures into a folder, predict them with the run's final model as any folder is predicted, and score each cascade stage and the mean-pose baseline against their exact joints.",
  ),
  'runs.get': call(
    z.object({ project, runId }),
    z.object({ run: RunSummary, metrics: z.array(MetricRow) }),
    'One run with its metric history.',
  ),
  'runs.delete': call(
    z.object({ project, runId }),
    z.object({ deleted: z.literal(true) }),
    'Delete a run that is not running, with its files.',
  ),
};

/**
 * What the dashboard and the CLI hear of a run as it goes: the training worker's events as the run
 * service passes them on, less what only the host needs (each validation's stageJoints, every val
 * example's joints per stage, which it scores into the run's report).
 */
export const RunEvent = z.discriminatedUnion('type', [
  StartedEvent,
  ProgressEvent,
  EpochEvent,
  ValidationEvent.omit({ stageJoints: true }),
  CheckpointEvent,
  FinishedEvent,
  FailedEvent,
  StoppedEvent,
]);
export type RunEvent = z.infer<typeof RunEvent>;

export const TrainingEventPayload = z.object({ project: z.string(), runId: z.string(), event: RunEvent });

export const trainingEvents = {
  'training.event': TrainingEventPayload,
};
