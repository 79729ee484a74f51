import { z } from 'zod';
import { Skeleton } from './skeleton';

export const ProjectSummary = z.object({
  /** Absolute path of the project folder. */
  path: z.string(),
  name: z.string(),
  skeleton: Skeleton,
  imageCount: z.number().int(),
  instanceCount: z.number().int(),
  labeledKeypoints: z.number().int(),
  perSplit: z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int() }),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;
