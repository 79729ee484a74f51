// The suggest job's messages between host and worker: the pretrained pose model over a list
// of images, one 'suggestion' event per image, progress, and how it ended.
import type { SuggestedPerson } from '../domain/suggestion';

export const SUGGEST_BACKENDS = ['wasm', 'cpu'] as const;
export type SuggestBackend = (typeof SUGGEST_BACKENDS)[number];

export interface SuggestRequest {
  type: 'suggest';
  /** The models folder (null: the installed package's). */
  modelsDir: string | null;
  imagePaths: string[];
  /** Joints scored below it stay unplaced. */
  threshold: number;
  /** People detected below it are not suggested. */
  personThreshold: number;
  /** 'auto': wasm, else cpu. */
  backend: SuggestBackend | 'auto';
}

export type SuggestEvent =
  | { type: 'suggest-started'; backend: SuggestBackend; loadMs: number }
  | { type: 'suggestion'; index: number; width: number; height: number; persons: SuggestedPerson[]; ms: number }
  | { type: 'suggest-skipped'; index: number; reason: string }
  | { type: 'suggest-progress'; done: number; total: number }
  | { type: 'suggest-finished'; backend: SuggestBackend; suggested: number; msPerImage: { mean: number; std: number } | null; stopped: boolean }
  | { type: 'failed'; error: string };
