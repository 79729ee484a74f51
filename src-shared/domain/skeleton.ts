import { z } from 'zod';

/** Joint names, the bones drawn between them, and the left/right pairs swapped when flipping. */
export const Skeleton = z.object({
  name: z.string().min(1),
  joints: z.array(z.string().min(1)).min(1),
  edges: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
  flipPairs: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
});
export type Skeleton = z.infer<typeof Skeleton>;

/** LSP order, as in joints.mat of the Leeds Sports Pose dataset. */
export const LSP14: Skeleton = {
  name: 'LSP-14',
  joints: [
    'right ankle',
    'right knee',
    'right hip',
    'left hip',
    'left knee',
    'left ankle',
    'right wrist',
    'right elbow',
    'right shoulder',
    'left shoulder',
    'left elbow',
    'left wrist',
    'neck',
    'head top',
  ],
  edges: [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [2, 8],
    [3, 9],
    [6, 7],
    [7, 8],
    [8, 12],
    [9, 12],
    [9, 10],
    [10, 11],
    [12, 13],
  ],
  flipPairs: [
    [0, 5],
    [1, 4],
    [2, 3],
    [6, 11],
    [7, 10],
    [8, 9],
  ],
};

/** COCO person keypoints, in the category's order. */
export const COCO17: Skeleton = {
  name: 'COCO-17',
  joints: [
    'nose',
    'left_eye',
    'right_eye',
    'left_ear',
    'right_ear',
    'left_shoulder',
    'right_shoulder',
    'left_elbow',
    'right_elbow',
    'left_wrist',
    'right_wrist',
    'left_hip',
    'right_hip',
    'left_knee',
    'right_knee',
    'left_ankle',
    'right_ankle',
  ],
  edges: [
    [15, 13],
    [13, 11],
    [16, 14],
    [14, 12],
    [11, 12],
    [5, 11],
    [6, 12],
    [5, 6],
    [5, 7],
    [6, 8],
    [7, 9],
    [8, 10],
    [1, 2],
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
    [3, 5],
    [4, 6],
  ],
  flipPairs: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
    [9, 10],
    [11, 12],
    [13, 14],
    [15, 16],
  ],
};

export const SkeletonPresetId = z.enum(['lsp14', 'coco17']);
export type SkeletonPresetId = z.infer<typeof SkeletonPresetId>;

export const skeletonPresets: Record<SkeletonPresetId, Skeleton> = { lsp14: LSP14, coco17: COCO17 };
