import { z } from 'zod';

/** 0 = not labeled, 1 = labeled but occluded, 2 = labeled and visible (the COCO convention). */
export const Visibility = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type Visibility = z.infer<typeof Visibility>;

/**
 * Why a joint is explicitly absent (visibility 0, yet labeled: the person looked and it is not
 * there): outside the picture, or not in it at all. Counts as done for the image; exported as
 * COCO's and LSP's v = 0. A joint at visibility 0 without a reason is simply not labeled yet.
 */
export const AbsentReason = z.enum(['out-of-frame', 'not-present']);
export type AbsentReason = z.infer<typeof AbsentReason>;

/**
 * Decimals of an image-pixel coordinate the studio keeps from a person's click or a model's
 * output: 0.01 px, far finer than either is accurate. Without it a click stored (and exported)
 * 186.59999629756712 where the workspace showed 186.6; a model's float32 output 186.60000610351562.
 * Imported coordinates are kept as the file wrote them.
 */
export const COORDINATE_DECIMALS = 2;

export function roundCoordinate(value: number): number {
  const scale = 10 ** COORDINATE_DECIMALS;
  return Math.round(value * scale) / scale;
}

export const KeypointSource = z.enum(['human', 'model']);
export type KeypointSource = z.infer<typeof KeypointSource>;

export const Keypoint = z.object({
  joint: z.number().int().nonnegative(),
  x: z.number(),
  y: z.number(),
  visibility: Visibility,
  /** Set only at visibility 0: the joint is absent for this reason (see AbsentReason). */
  absent: AbsentReason.nullable().optional(),
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
  /** Only with visibility 0; any other visibility clears it. */
  absent: AbsentReason.nullable().optional(),
});
export type KeypointInput = z.infer<typeof KeypointInput>;
