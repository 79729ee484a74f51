import { z } from 'zod';
import { call } from './define';
import { projectPath } from './paths';

const project = projectPath();
const threshold = z.number().min(0).max(1).optional();

export const SuggestedJointSchema = z.object({ x: z.number(), y: z.number(), score: z.number() });
export const StoredSuggestionSchema = z.object({
  id: z.number().int(),
  imageId: z.number().int(),
  suggester: z.string(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  score: z.number(),
  /** One per skeleton joint; null = unplaced (the model was unsure). */
  joints: z.array(SuggestedJointSchema.nullable()),
});
export type StoredSuggestionDto = z.infer<typeof StoredSuggestionSchema>;

export const suggestionCalls = {
  'suggestions.suggest': call(
    z.object({ project, imageId: z.number().int(), threshold }),
    z.object({ suggestions: z.array(StoredSuggestionSchema), ms: z.number() }),
    "Suggest people and joints on one image with the built-in pose model (in a worker); replaces that image's earlier suggestions.",
  ),
  'suggestions.prelabel': call(
    z.object({ project, threshold }),
    z.object({ taskId: z.string(), images: z.number().int() }),
    'Suggest joints for every unlabeled image of the project, as a task (progress, cancel).',
  ),
  'suggestions.list': call(
    z.object({ project, imageId: z.number().int() }),
    z.array(StoredSuggestionSchema),
    "An image's suggested people, most confident first.",
  ),
  'suggestions.queue': call(
    z.object({ project }),
    z.array(
      z.object({ imageId: z.number().int(), path: z.string(), people: z.number().int(), confidence: z.number() }),
    ),
    'Images with suggestions, least confident first, for review.',
  ),
  'suggestions.accept': call(
    z.object({ project, suggestionId: z.number().int() }),
    z.object({ imageId: z.number().int(), instanceId: z.number().int() }),
    'Make a suggested person a labeled one (placed joints visible, source: the model); the suggestion is removed.',
  ),
  'suggestions.dismiss': call(
    z.object({ project, suggestionId: z.number().int() }),
    z.object({ dismissed: z.literal(true) }),
    'Drop a suggested person.',
  ),
};
