import { z } from 'zod';
import { call } from './define';
import { Split } from '../domain/image';

const project = z.string().min(1);
const setId = z.number().int();

export const ModelChoice = z.union([
  z.object({ runId: z.string().min(1), checkpoint: z.enum(['final', 'latest']).default('final') }),
  z.object({ modelFolder: z.string().min(1) }),
]);
export const PredictionSource = z.union([z.object({ folder: z.string().min(1) }), z.object({ split: Split })]);

export const PredictionSet = z.object({
  id: z.number().int(),
  runId: z.string().nullable(),
  modelPath: z.string(),
  source: z.string(),
  createdAt: z.number(),
  count: z.number().int(),
  /** Mean and std of inference time per image, as the reference work reported it. */
  msPerImage: z.object({ mean: z.number(), std: z.number() }).nullable(),
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

export const predictionCalls = {
  'predict.start': call(
    z.object({ project, model: ModelChoice, source: PredictionSource }),
    z.object({ taskId: z.string(), setId }),
    'Predict joints for every image of a folder (recursive) or a split, in the worker, as a task.',
  ),
  'predictions.sets': call(z.object({ project }), z.array(PredictionSet), "The project's prediction sets, newest first."),
  'predictions.list': call(
    z.object({ project, setId, sort: z.enum(['error', 'name']).default('name'), offset: z.number().int().nonnegative().default(0), limit: z.number().int().positive().max(5000).default(200) }),
    z.object({ total: z.number().int(), items: z.array(Prediction) }),
    'A page of predictions, worst error first or by file name.',
  ),
  'predictions.accept': call(
    z.object({ project, predictionId: z.number().int() }),
    z.object({ imageId: z.number().int(), instanceId: z.number().int() }),
    "Make a prediction the image's label (source: the model); the image joins the project if it came from a folder.",
  ),
  'predictions.metrics': call(z.object({ project, setId }), PredictionMetrics.nullable(), 'PCK, PCP and pixel errors against labels, with the mean-pose baseline; null without labels.'),
  'predictions.export': call(
    z.object({ project, setId, format: z.enum(['csv', 'coco']), path: z.string().min(1) }),
    z.object({ path: z.string(), count: z.number().int() }),
    'Write the predictions as a reference list or COCO keypoint results JSON.',
  ),
};
