import { z } from 'zod';
import { Keypoint } from './keypoint';

export const Split = z.enum(['train', 'val', 'test']);
export type Split = z.infer<typeof Split>;

export const LabelStatus = z.enum(['unlabeled', 'partial', 'labeled']);
export type LabelStatus = z.infer<typeof LabelStatus>;

export const ImageSummary = z.object({
  id: z.number().int(),
  /** Absolute path of the image file. */
  path: z.string(),
  fileName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  split: Split,
  status: LabelStatus,
  labeledJoints: z.number().int(),
  instanceCount: z.number().int(),
  hasPredictions: z.boolean(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

/** [x, y, width, height] in image pixels. */
export const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type Box = z.infer<typeof Box>;

export const Instance = z.object({
  id: z.number().int(),
  imageId: z.number().int(),
  box: Box.nullable(),
  /** One per joint of the project's skeleton, in joint order. */
  keypoints: z.array(Keypoint),
});
export type Instance = z.infer<typeof Instance>;
