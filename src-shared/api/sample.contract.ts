import { z } from 'zod';
import { call } from './define';
import { projectPath } from './paths';

export const sampleCalls = {
  'projects.createSample': call(
    z.object({
      folder: projectPath(),
      name: z.string().min(1).optional(),
      count: z.number().int().min(10).max(20000).default(500),
      seed: z.number().int().min(0).default(1),
    }),
    z.object({ taskId: z.string() }),
    'Draw procedural sample people with exact joints into a new, split, ready-to-train project; task.result is its ProjectSummary.',
  ),
};
