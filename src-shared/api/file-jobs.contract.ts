// Jobs over files outside any project: a saved model over a folder into a predictions file, the
// built-in pose model over a folder into a suggestions file, a folder of sample people. The CLI's
// `predict`, `suggest` and `sample` are these calls; any door may make them. Each runs as a task
// (progress, cancel); what it found is the task's result, typed here.
import { z } from 'zod';
import { call } from './define';
import { inputPath, outputPath } from './paths';
import { PredictionFormat } from './predictions.contract';
import { DENSE_WEIGHTS } from '../training/protocol';
import { SUGGEST_BACKENDS } from '../training/suggest-protocol';
import { backendNames } from '../training/config';
import { PoseReport } from '../training/pose-report';

const Timing = z.object({ mean: z.number(), std: z.number() }).nullable();
/** A picture left out, and why (too large, not an image, unreadable). */
export const SkippedImage = z.object({ imagePath: z.string(), reason: z.string() });
export type SkippedImage = z.infer<typeof SkippedImage>;

/** `task.result` of a finished 'predict.toFile'. */
export const FilePredictionReport = z.object({
  path: z.string(),
  format: PredictionFormat,
  /** Rows written (one per person with --detect-people). */
  count: z.number().int(),
  predicted: z.number().int(),
  /** Pictures (or people) asked for. */
  items: z.number().int(),
  backend: z.string(),
  denseWeights: z.enum(DENSE_WEIGHTS),
  msPerImage: Timing,
  flipMsPerImage: Timing,
  /** Pictures the worker could not read. */
  skipped: z.array(SkippedImage),
  /** People the detector found (with detectPeople), else null. */
  peopleFound: z.number().int().nullable(),
  /** The confidence proxies over the rows: which proxy, its median, the least confident pictures. */
  doubt: z
    .object({
      what: z.enum(['flip disagreement', 'last cascade correction']),
      median: z.number(),
      worst: z.array(z.object({ name: z.string(), doubt: z.number() })),
    })
    .nullable(),
  /** A labeled list's score: every stage and the mean-pose baseline per joint; `note` when there is none to give. */
  labeled: z
    .object({ report: PoseReport.nullable(), pictures: z.number().int(), note: z.string().nullable() })
    .nullable(),
});
export type FilePredictionReport = z.infer<typeof FilePredictionReport>;

/** `task.result` of a finished 'suggestions.toFile'. */
export const FileSuggestionReport = z.object({
  path: z.string(),
  format: z.enum(['csv', 'coco']),
  persons: z.number().int(),
  suggested: z.number().int(),
  images: z.number().int(),
  backend: z.string().nullable(),
  loadMs: z.number().nullable(),
  msPerImage: Timing,
  skipped: z.array(SkippedImage),
});
export type FileSuggestionReport = z.infer<typeof FileSuggestionReport>;

/** `task.result` of a finished 'samples.generate'. */
export const SampleReport = z.object({
  folder: z.string(),
  csvPath: z.string(),
  cocoPath: z.string(),
  count: z.number().int(),
  joints: z.object({ visible: z.number().int(), occluded: z.number().int(), outside: z.number().int() }),
  /** The mean pose of a seeded 80 % split scored on the rest (occluded joints counted): what a model must beat. */
  baseline: z
    .object({
      fit: z.number().int(),
      scored: z.number().int(),
      alpha: z.number(),
      pck: z.number().nullable(),
      pcp: z.number().nullable(),
      meanErrorPx: z.number().nullable(),
    })
    .nullable(),
});
export type SampleReport = z.infer<typeof SampleReport>;

export const fileJobCalls = {
  'predict.toFile': call(
    z.object({
      model: inputPath('model'),
      input: inputPath('images folder or list'),
      out: outputPath('predictions file'),
      overwrite: z.boolean().default(false),
      format: PredictionFormat,
      backend: z.enum(['auto', ...backendNames] as const).optional(),
      flipCheck: z.boolean().default(true),
      denseWeights: z.enum(DENSE_WEIGHTS).default('float32'),
      /** Find the people with the built-in pose model's detector and predict each through its own crop. */
      detectPeople: z.boolean().default(false),
      poseModels: inputPath('pose model folder').optional(),
    }),
    z.object({
      taskId: z.string(),
      items: z.number().int(),
      /** Pictures refused before any decoding (too large, a name that lies about the format). */
      skipped: z.array(SkippedImage),
      /** Why the mirror check is off although asked for (a model without its training config). */
      flipCheckOff: z.string().nullable(),
    }),
    'Predict a saved model (model, checkpoint or run folder) over a folder, one image or a list into a file, as a task; task.result is the report. A labeled reference list is scored. Nothing is written when it is cancelled.',
  ),
  'suggestions.toFile': call(
    z.object({
      input: inputPath('images folder or list'),
      out: outputPath('suggestions file'),
      overwrite: z.boolean().default(false),
      format: z.enum(['csv', 'coco']),
      threshold: z.number().min(0).max(1),
      personThreshold: z.number().min(0).max(1),
      backend: z.enum(['auto', ...SUGGEST_BACKENDS] as const).default('auto'),
      poseModels: inputPath('pose model folder').optional(),
    }),
    z.object({ taskId: z.string(), images: z.number().int() }),
    'Suggest people and joints (LSP-14) with the built-in pose model over a folder, one image or a list into a file, as a task; task.result is the report.',
  ),
  'samples.generate': call(
    z.object({
      folder: outputPath('sample folder'),
      count: z.number().int().min(1).max(100_000).default(2000),
      seed: z.number().int().default(1),
      /** Fixed picture size in pixels; by default each side is drawn from 220-320 px. */
      width: z.number().int().min(64).max(4096).optional(),
      height: z.number().int().min(64).max(4096).optional(),
    }),
    z.object({ taskId: z.string() }),
    'Draw procedural people with exact joint labels into a folder (JPEG, reference list, COCO keypoints), as a task; task.result is the report with the mean-pose baseline.',
  ),
};
