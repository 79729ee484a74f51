import { z } from 'zod';
import { call } from './define';
import { inputPath, outputPath, projectPath } from './paths';
import { Split } from '../domain/image';
import { ConfidenceProxies } from '../domain/confidence';
import { DENSE_WEIGHTS } from '../training/protocol';

const project = projectPath();
const setId = z.number().int();

export const ModelChoice = z.union([
  z.object({ runId: z.string().min(1), checkpoint: z.enum(['final', 'latest']).default('final') }),
  z.object({ modelFolder: inputPath('model folder') }),
]);
export const PredictionSource = z.union([
  z.object({ folder: inputPath('images folder or list') }),
  z.object({ split: Split }),
]);

/** Reference list (csv), COCO keypoint results (coco), or one row of confidence proxies per image (scores). */
export const PredictionFormat = z.enum(['csv', 'coco', 'scores']);
export type PredictionFormat = z.infer<typeof PredictionFormat>;

export const PredictionSet = z.object({
  id: z.number().int(),
  runId: z.string().nullable(),
  modelPath: z.string(),
  source: z.string(),
  createdAt: z.number(),
  count: z.number().int(),
  /** Mean and std of inference time per image, as the reference work reported it. */
  msPerImage: z.object({ mean: z.number(), std: z.number() }).nullable(),
  /** How the hidden dense layers were read (PredictRequest.denseWeights). */
  denseWeights: z.enum(DENSE_WEIGHTS),
});
export type PredictionSet = z.infer<typeof PredictionSet>;

export const Prediction = z.object({
  id: z.number().int(),
  imagePath: z.string(),
  fileName: z.string(),
  imageId: z.number().int().nullable(),
  width: z.number(),
  height: z.number(),
  /** Predicted joints in image pixels. */
  joints: z.array(z.tuple([z.number(), z.number()])),
  /** The catalog's label for this image when it has one, [x, y, visibility]. */
  truth: z.array(z.tuple([z.number(), z.number(), z.number()])).nullable(),
  /** Mean pixel error over labeled joints, and per joint (null where unlabeled). */
  errorPx: z.number().nullable(),
  perJointErrorPx: z.array(z.number().nullable()).nullable(),
  accepted: z.boolean(),
  /** The flip disagreement and last correction (all null for predictions from before them). */
  confidence: ConfidenceProxies,
});
export type Prediction = z.infer<typeof Prediction>;

export const PredictionMetrics = z.object({
  labeled: z.number().int(),
  pckMean: z.number(),
  pckPerJoint: z.array(z.number()),
  pcpPerLimb: z.array(z.object({ limb: z.string(), pcp: z.number() })),
  meanPixelErrorPerJoint: z.array(z.number().nullable()),
  baselinePckMean: z.number().nullable(),
  /** The mean-pose baseline per joint (null without a train split to fit it on). */
  baselinePckPerJoint: z.array(z.number().nullable()).nullable(),
  baselinePixelErrorPerJoint: z.array(z.number().nullable()).nullable(),
  /** PCK against the fraction of torso diameter, model and mean-pose baseline. */
  curve: z.array(z.object({ threshold: z.number(), pck: z.number(), baseline: z.number().nullable() })),
});
export type PredictionMetrics = z.infer<typeof PredictionMetrics>;

/**
 * The grid's orders: worst error first (labeled images), least confident first (doubtOf,
 * highest first), by file name; 'auto' is worst error first when any prediction has a label,
 * else least confident first when any has a proxy, else by name.
 */
export const PredictionSort = z.enum(['error', 'least-confident', 'name', 'auto']);
export type PredictionSort = z.infer<typeof PredictionSort>;

export const predictionCalls = {
  'predict.start': call(
    z.object({
      project,
      model: ModelChoice,
      source: PredictionSource,
      flipCheck: z.boolean().default(true),
      denseWeights: z.enum(DENSE_WEIGHTS).default('float32'),
    }),
    z.object({ taskId: z.string(), setId }),
    'Predict joints for every image of a folder (recursive) or a split, in the worker, as a task; flipCheck also predicts each mirror image, for the flip disagreement; denseWeights int8 reads the hidden dense layers as 8-bit codes (faster on onnx-cpu, joints move slightly).',
  ),
  'predictions.sets': call(
    z.object({ project }),
    z.array(PredictionSet),
    "The project's prediction sets, newest first.",
  ),
  'predictions.list': call(
    z.object({
      project,
      setId,
      sort: PredictionSort.default('name'),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().positive().max(5000).default(200),
    }),
    z.object({ total: z.number().int(), items: z.array(Prediction), sort: PredictionSort.exclude(['auto']) }),
    'A page of predictions, worst error first, least confident first or by file name; answers the order it used.',
  ),
  'predictions.accept': call(
    z.object({ project, predictionId: z.number().int() }),
    z.object({ imageId: z.number().int(), instanceId: z.number().int() }),
    "Make a prediction the image's label (source: the model); the image joins the project if it came from a folder.",
  ),
  'predictions.metrics': call(
    z.object({ project, setId }),
    PredictionMetrics.nullable(),
    'PCK, PCP and pixel errors against labels, with the mean-pose baseline; null without labels.',
  ),
  'predictions.export': call(
    z.object({ project, setId, format: PredictionFormat, path: outputPath(), overwrite: z.boolean().default(false) }),
    z.object({ path: z.string(), count: z.number().int() }),
    'Write the predictions as a reference list, COCO keypoint results JSON, or a CSV of their confidence proxies.',
  ),
};
