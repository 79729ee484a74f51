import { z } from 'zod';

/** 0 = not labeled, 1 = labeled but occluded, 2 = labeled and visible (the COCO convention). */
export const Visibility = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type Visibility = z.infer<typeof Visibility>;

export const KeypointSource = z.enum(['human', 'model']);
export type KeypointSource = z.infer<typeof KeypointSource>;

export const Keypoint = z.object({
  joint: z.number().int().nonnegative(),
  x: z.number(),
  y: z.number(),
  visibility: Visibility,
  source: KeypointSource,
  runId: z.string().nullable(),
});
export type Keypoint = z.infer<typeof Keypoint>;

/** What a person (or autosave) sends: coordinates must be finite numbers. */
export const KeypointInput = z.object({
  joint: z.number().int().nonnegative(),
  x: z.number().finite(),
  y: z.number().finite(),
  visibility: Visibility,
});
export type KeypointInput = z.infer<typeof KeypointInput>;
