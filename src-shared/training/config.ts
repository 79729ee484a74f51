// One training configuration, validated once: the API, the CLI and the worker all parse with it.
import { z } from 'zod';

export const modelNames = ['alexnet', 'alexnet-small', 'alexnet-tiny'] as const;

/** Side of each architecture's square input in pixels (the crop it regresses joints from). */
export const modelInputSizes: Record<(typeof modelNames)[number], number> = {
  alexnet: 227,
  'alexnet-small': 128,
  'alexnet-tiny': 96,
};
/** 'auto': this computer's fastest training step; a CPU step engine by name (for comparing them); 'torch': PyTorch. */
export const engineNames = ['auto', 'onednn', 'onnx-graph', 'tfjs', 'torch'] as const;
export const backendNames = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'onnx-cpu', 'wasm', 'cpu'] as const;

/** Batches larger than this do not fit any machine the studio runs on; a typo more likely. */
export const MAX_BATCH_SIZE = 1024;

export const lrScheduleSchema = z.object({
  kind: z.literal('step'),
  /** Multiply the learning rate by `gamma` every `everyEpochs` epochs. */
  everyEpochs: z.number().int().positive(),
  gamma: z.number().positive().max(1),
});

export const trainingConfigSchema = z.object({
  model: z.enum(modelNames).default('alexnet'),
  optimizer: z.enum(['MomentumSGD', 'Adam']).default('MomentumSGD'),
  lr: z.number().positive().default(0.01),
  momentum: z.number().min(0).max(1).default(0.9),
  epochs: z.number().int().positive().default(100),
  batchSize: z.number().int().positive().max(MAX_BATCH_SIZE).default(32),
  seed: z.number().int().min(0).default(0),
  valEvery: z.number().int().positive().default(1),
  /** Epochs between checkpoints; unset means max(1, round(epochs / 10)). */
  checkpointEvery: z.number().int().positive().optional(),
  /**
   * Newest checkpoints kept on disk (resume starts from the newest); 0 keeps them all. A
   * reference AlexNet checkpoint is ~470 MB, so keeping all of a long run fills a disk.
   */
  keepCheckpoints: z.number().int().min(0).default(1),
  /** Also keep the checkpoint with the best validation PCK: the run's model is its last epoch's, which may be worse. */
  keepBestCheckpoint: z.boolean().default(true),
  lrSchedule: lrScheduleSchema.nullable().default(null),
  /** Mask unlabeled joints (visibility 0) out of the loss. */
  useVisibility: z.boolean().default(true),
  /** With visibility on, whether occluded joints (visibility 1) still count in the loss. */
  countOccluded: z.boolean().default(true),
  augment: z.boolean().default(true),
  /**
   * How augmentation draws: 'studio' (uniform random cut, ImageNet's PCA colour noise with σ 0.1
   * per component) or 'reference' (the article's PyTorch code: a random cut that keeps the
   * top-left-most visible joints inside, and colour noise along the picture's own RGB
   * covariance, one N(0, 0.01) draw). README's "The reference preset" lists the differences.
   */
  augmentation: z.enum(['studio', 'reference']).default('studio'),
  /** Mirror at random with left/right swapped (on: issue 26 measured it with σ 3 and error focus, README). */
  flip: z.boolean().default(true),
  /** Left/right joint pairs swapped by a horizontal flip (the skeleton's flipPairs). */
  flipPairs: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).default([]),
  joints: z.number().int().positive(),
  /** Joint pairs whose distance is the torso size PCK is measured against; unset means LSP's. */
  torsoPairs: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).optional(),
  /** Crop side around the joints' bounding box, as a multiple of its longer side. */
  cropScale: z.number().min(1).default(1.5),
  /**
   * DeepPose cascade stages: 1 regresses every joint from the whole view (the reference
   * article); each later stage refines each joint from a sub-image around its previous estimate.
   */
  stages: z.number().int().min(1).max(4).default(3),
  /** Stage 2 re-crops the person around stage 1's estimate and regresses every joint again; later stages refine joints. */
  personStage: z.boolean().default(true),
  /**
   * Side of a refinement stage's sub-image, as a multiple of the estimate's torso diameter (the
   * paper's σ; 2 on LSP). 3 here: with 2, a fifth of stage 1's wrist estimates lie outside their
   * own close-up (README, "Why wrists and ankles stay low").
   */
  cascadeSigma: z.number().min(0.5).max(8).default(3),
  /** Epochs of each refinement stage; unset means the same as `epochs`. */
  refineEpochs: z.number().int().positive().optional(),
  /** Joints drawn per training example in each refinement epoch, each around a simulated estimate. */
  refineDraws: z.number().int().min(1).max(64).default(4),
  /**
   * Which joints a refinement epoch's close-ups are drawn for: 'uniform' (each labeled joint
   * alike) or 'error' (in proportion to each joint's mean observed error, so the joints the
   * earlier stages miss most, wrists and ankles, get more close-ups).
   */
  refineFocus: z.enum(['uniform', 'error']).default('error'),
  /** 'auto' tries the backends fastest first; a name forces that one. */
  backend: z.enum(['auto', ...backendNames]).default('auto'),
  /**
   * What takes the run's training steps: 'auto' is this computer's fastest (on onnx-cpu the oneDNN
   * step where built, else one ONNX graph, else tfjs' own step); 'onednn', 'onnx-graph' and 'tfjs'
   * force one of those (a run records which ran, and why a better one did not); 'torch' is the
   * user's own python3 with PyTorch, on its GPUs or CPU processes, under torchrun.
   */
  engine: z.enum(engineNames).default('auto'),
});

export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;
export type BackendName = (typeof backendNames)[number];
export type ModelName = (typeof modelNames)[number];
export type EngineName = (typeof engineNames)[number];

type StagePlan = Pick<TrainingConfig, 'epochs' | 'stages' | 'refineEpochs'> & { personStage?: boolean };

/** What a cascade stage looks at: the whole person view, the person re-cropped around the estimate, or each joint's close-up. */
export type StageKind = 'whole' | 'person' | 'joints';

export function stageKind(config: Pick<StagePlan, 'personStage'>, stage: number): StageKind {
  if (stage === 1) return 'whole';
  return stage === 2 && config.personStage !== false ? 'person' : 'joints';
}

export function stageKinds(config: Pick<StagePlan, 'personStage' | 'stages'>): StageKind[] {
  return Array.from({ length: config.stages ?? 1 }, (_, i) => stageKind(config, i + 1));
}

/** Epochs of one stage (1-based). */
export function stageEpochs(config: StagePlan, stage: number): number {
  return stage === 1 ? config.epochs : (config.refineEpochs ?? config.epochs);
}

/** Epochs of the whole run, every stage after the other; epochs are counted across stages. */
export function totalEpochs(config: StagePlan): number {
  let total = 0;
  for (let s = 1; s <= (config.stages ?? 1); s++) total += stageEpochs(config, s);
  return total;
}

/** The stage a run-wide epoch (1-based, as reported) belongs to, and its epoch within that stage. */
export function stageOfEpoch(config: StagePlan, epoch: number): { stage: number; epoch: number } {
  let first = 0;
  const stages = config.stages ?? 1;
  for (let s = 1; s <= stages; s++) {
    const n = stageEpochs(config, s);
    if (epoch <= first + n || s === stages) return { stage: s, epoch: epoch - first };
    first += n;
  }
  return { stage: 1, epoch };
}

/** Where a run-wide epoch is, in words: 'epoch 5/24', or 'stage 2/2 · epoch 3/8' in a cascade. */
export function epochLabel(config: StagePlan, epoch: number): string {
  const stages = config.stages ?? 1;
  if (stages === 1) return `epoch ${epoch}/${config.epochs}`;
  const at = stageOfEpoch(config, epoch);
  return `stage ${at.stage}/${stages} (${stageKind(config, at.stage)}) · epoch ${at.epoch}/${stageEpochs(config, at.stage)}`;
}

/** Epochs that come before `stage` starts. */
export function epochsBeforeStage(config: StagePlan, stage: number): number {
  let total = 0;
  for (let s = 1; s < stage; s++) total += stageEpochs(config, s);
  return total;
}

/** Crops one epoch of a stage trains on: one per example, or `refineDraws` joint close-ups per example. */
export function stageExampleCount(
  config: Pick<TrainingConfig, 'refineDraws'> & Pick<StagePlan, 'personStage'>,
  stage: number,
  trainCount: number,
): number {
  return stageKind(config, stage) === 'joints' ? trainCount * config.refineDraws : trainCount;
}

/** Optimizer steps of the whole run: stage 1 sees each example once an epoch, a refinement stage `refineDraws` crops of each. */
export function runIterations(
  config: StagePlan & Pick<TrainingConfig, 'batchSize' | 'refineDraws'>,
  trainCount: number,
): number {
  let total = 0;
  for (let s = 1; s <= (config.stages ?? 1); s++)
    total += Math.ceil(stageExampleCount(config, s, trainCount) / config.batchSize) * stageEpochs(config, s);
  return total;
}

export function checkpointInterval(config: Pick<TrainingConfig, 'epochs' | 'checkpointEvery'>): number {
  return config.checkpointEvery ?? Math.max(1, Math.round(config.epochs / 10));
}

/** Whether the trainer checkpoints after a run-wide epoch (1-based): every interval, and at each stage's end. */
export function isCheckpointEpoch(config: StagePlan & Pick<TrainingConfig, 'checkpointEvery'>, epoch: number): boolean {
  const at = stageOfEpoch(config, epoch);
  return epoch % checkpointInterval(config) === 0 || at.epoch === stageEpochs(config, at.stage);
}

/** Checkpoints a run that is never stopped writes, across every stage. */
export function checkpointsWritten(config: StagePlan & Pick<TrainingConfig, 'checkpointEvery'>): number {
  let count = 0;
  for (let epoch = 1; epoch <= totalEpochs(config); epoch++) if (isCheckpointEpoch(config, epoch)) count++;
  return count;
}
