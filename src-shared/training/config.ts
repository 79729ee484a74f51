// One training configuration, validated once: the API, the CLI and the worker all parse with it.
import { z } from 'zod';

export const modelNames = ['alexnet', 'alexnet-small', 'alexnet-tiny'] as const;
export const backendNames = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'onnx-cpu', 'wasm', 'cpu'] as const;

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
  batchSize: z.number().int().positive().default(32),
  seed: z.number().int().min(0).default(0),
  valEvery: z.number().int().positive().default(1),
  /** Epochs between checkpoints; unset means max(1, round(epochs / 10)). */
  checkpointEvery: z.number().int().positive().optional(),
  /** Newest checkpoints kept on disk; 0 keeps them all (a reference AlexNet checkpoint is ~470 MB). */
  keepCheckpoints: z.number().int().min(0).default(0),
  lrSchedule: lrScheduleSchema.nullable().default(null),
  /** Mask unlabeled joints (visibility 0) out of the loss. */
  useVisibility: z.boolean().default(true),
  /** With visibility on, whether occluded joints (visibility 1) still count in the loss. */
  countOccluded: z.boolean().default(true),
  augment: z.boolean().default(true),
  flip: z.boolean().default(false),
  /** Left/right joint pairs swapped by a horizontal flip (the skeleton's flipPairs). */
  flipPairs: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).default([]),
  joints: z.number().int().positive(),
  /** Joint pairs whose distance is the torso size PCK is measured against; unset means LSP's. */
  torsoPairs: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).optional(),
  /** Crop side around the joints' bounding box, as a multiple of its longer side. */
  cropScale: z.number().min(1).default(1.5),
  /** 'auto' tries the backends fastest first; a name forces that one. */
  backend: z.enum(['auto', ...backendNames]).default('auto'),
});

export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;
export type BackendName = (typeof backendNames)[number];
export type ModelName = (typeof modelNames)[number];

export function checkpointInterval(config: Pick<TrainingConfig, 'epochs' | 'checkpointEvery'>): number {
  return config.checkpointEvery ?? Math.max(1, Math.round(config.epochs / 10));
}
