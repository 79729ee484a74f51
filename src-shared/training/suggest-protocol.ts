// The suggest job's messages between host and worker: the pretrained pose model over a list
// of images, one 'suggestion' event per image, progress, and how it ended. Schemas, checked
// where they arrive, as protocol.ts's are.
import { z } from 'zod';
import { SuggestedPerson } from '../domain/suggestion';
import { anyNumber, FailedEvent } from './message-parts';

export const SUGGEST_BACKENDS = ['wasm', 'cpu'] as const;
export type SuggestBackend = (typeof SUGGEST_BACKENDS)[number];

export const SuggestRequest = z.object({
  type: z.literal('suggest'),
  /** The models folder (null: the installed package's). */
  modelsDir: z.string().nullable(),
  imagePaths: z.array(z.string()),
  /** Joints scored below it stay unplaced. */
  threshold: anyNumber,
  /** People detected below it are not suggested. */
  personThreshold: anyNumber,
  /** 'auto': wasm, else cpu. */
  backend: z.enum([...SUGGEST_BACKENDS, 'auto']),
});
export type SuggestRequest = z.infer<typeof SuggestRequest>;

export const SuggestEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('suggest-started'), backend: z.enum(SUGGEST_BACKENDS), loadMs: anyNumber }),
  z.object({
    type: z.literal('suggestion'),
    index: anyNumber,
    width: anyNumber,
    height: anyNumber,
    persons: z.array(SuggestedPerson),
    ms: anyNumber,
  }),
  z.object({ type: z.literal('suggest-skipped'), index: anyNumber, reason: z.string() }),
  z.object({ type: z.literal('suggest-progress'), done: anyNumber, total: anyNumber }),
  z.object({
    type: z.literal('suggest-finished'),
    backend: z.enum(SUGGEST_BACKENDS),
    suggested: anyNumber,
    msPerImage: z.object({ mean: anyNumber, std: anyNumber }).nullable(),
    stopped: z.boolean(),
  }),
  FailedEvent,
]);
export type SuggestEvent = z.infer<typeof SuggestEvent>;
