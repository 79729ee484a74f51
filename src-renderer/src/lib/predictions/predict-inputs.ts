// What the Predict form turns into a 'predict.start' request: the model (a run's checkpoint
// or a TensorFlow.js model folder) and the images (a folder on disk or a split).
import type { z } from 'zod';
import type { ModelChoice, PredictionSource } from '../../../../src-shared/api/predictions.contract';
import type { RunSummary } from '../../../../src-shared/api/training.contract';
import type { Split } from '../../../../src-shared/domain/image';
import { projectFilePath } from '../project-paths';

export type ModelChoiceInput = z.input<typeof ModelChoice>;
export type PredictionSourceInput = z.input<typeof PredictionSource>;

export interface ModelOption {
  /** Stable value for a <select>. */
  key: string;
  label: string;
  choice: ModelChoiceInput;
}

/** Key of the option that means "a model folder typed in". */
export const MODEL_FOLDER_KEY = 'folder';

/**
 * The checkpoints people can predict with: a finished run's final model and its latest
 * checkpoint; a stopped, failed or running run only has checkpoints so far.
 */
export function modelOptions(runs: readonly RunSummary[]): ModelOption[] {
  const options: ModelOption[] = [];
  for (const run of runs) {
    if (run.status === 'queued') continue;
    // Both models are the run's last state, not its best epoch's: the last validation describes them.
    const pck = run.lastValPck == null ? '' : ` · last validation PCK ${(run.lastValPck * 100).toFixed(1)}%`;
    if (run.status === 'finished') {
      options.push({
        key: `${run.id}:final`,
        label: `${run.name}: final model${pck}`,
        choice: { runId: run.id, checkpoint: 'final' },
      });
    }
    options.push({
      key: `${run.id}:latest`,
      label: `${run.name}: latest checkpoint (${run.status})${pck}`,
      choice: { runId: run.id, checkpoint: 'latest' },
    });
  }
  return options;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

export function resolveModel(key: string, options: readonly ModelOption[], folder: string): Resolved<ModelChoiceInput> {
  if (key === MODEL_FOLDER_KEY) {
    const path = folder.trim();
    return path
      ? { ok: true, value: { modelFolder: path } }
      : { ok: false, error: 'Type the path of a TensorFlow.js model folder.' };
  }
  const option = options.find((o) => o.key === key);
  return option ? { ok: true, value: option.choice } : { ok: false, error: 'Pick a trained model.' };
}

export type SourceKind = 'folder' | Split;

export function resolveSource(kind: SourceKind, folder: string): Resolved<PredictionSourceInput> {
  if (kind !== 'folder') return { ok: true, value: { split: kind } };
  const path = folder.trim();
  return path ? { ok: true, value: { folder: path } } : { ok: false, error: 'Type the path of a folder of images.' };
}

/** A default file beside the project for an export of one prediction set. */
const EXPORT_SUFFIX = { csv: '.csv', coco: '.coco-results.json', scores: '.scores.csv' } as const;

export function defaultExportPath(projectPath: string, setId: number, format: keyof typeof EXPORT_SUFFIX): string {
  return projectFilePath(projectPath, `predictions-${setId}${EXPORT_SUFFIX[format]}`);
}
