// What a run will write to disk, from its settings and the network's parameter count, before
// it starts: checkpoints (weights + optimizer slots), the frozen stages a cascade keeps in
// stages/, and the final model folder. The byte layouts are the ones checkpoints.ts and
// model-files.ts write; the JSON beside the weights is small and estimated.
import { checkpointsWritten, totalEpochs, type TrainingConfig } from '../../../src-shared/training/config';
import type { DiskEstimate } from '../../../src-shared/training/run-estimate';

/** float32 weights. */
const BYTES_PER_PARAM = 4;
/** Optimizer state per weight kept in a checkpoint: MomentumSGD's velocity, Adam's two moments. */
export const OPTIMIZER_SLOTS: Record<TrainingConfig['optimizer'], number> = { MomentumSGD: 1, Adam: 2 };
/** A model folder's model.json (the topology and the weight manifest). */
const MODEL_JSON_BYTES = 4_500;
/** A checkpoint's optimizer.json, manifest.json and progress.json without its history. */
const CHECKPOINT_JSON_BYTES = 5_000;
/** One metric point of the history progress.json carries. */
const HISTORY_POINT_BYTES = 110;
/** One [dx, dy, ratio] triple of the errors a cascade stage measures before it trains (full-precision JSON). */
const ERROR_TRIPLE_BYTES = 62;

export function modelFolderBytes(params: number): number {
  return params * BYTES_PER_PARAM + MODEL_JSON_BYTES;
}

/** One checkpoint folder: the model, the optimizer's slots, and the progress with `historyPoints` metric points. */
export function checkpointBytes(params: number, optimizer: TrainingConfig['optimizer'], historyPoints = 0): number {
  return (
    modelFolderBytes(params) +
    params * BYTES_PER_PARAM * OPTIMIZER_SLOTS[optimizer] +
    CHECKPOINT_JSON_BYTES +
    historyPoints * HISTORY_POINT_BYTES
  );
}

type FootprintConfig = Pick<
  TrainingConfig,
  | 'optimizer'
  | 'epochs'
  | 'stages'
  | 'refineEpochs'
  | 'personStage'
  | 'checkpointEvery'
  | 'keepCheckpoints'
  | 'keepBestCheckpoint'
  | 'valEvery'
  | 'joints'
>;

/**
 * The most the run holds on disk at once, at its end: the kept checkpoints plus the one being
 * written before the oldest is pruned, the frozen stages with their measured errors, and the
 * final model (every stage). Counts labeled training examples for the errors files.
 */
export function diskFootprint(config: FootprintConfig, params: number, trainCount: number): DiskEstimate {
  const epochs = totalEpochs(config);
  // The last checkpoint carries the whole history: a train point per epoch and the validations.
  const historyPoints = epochs + Math.ceil(epochs / config.valEvery) + config.stages;
  const perCheckpoint = checkpointBytes(params, config.optimizer, historyPoints);
  const written = checkpointsWritten(config);
  const kept =
    config.keepCheckpoints === 0
      ? written
      : Math.min(written, config.keepCheckpoints + (config.keepBestCheckpoint ? 1 : 0));
  const atOnce = config.keepCheckpoints === 0 ? written : Math.min(written, kept + 1);
  const frozen = config.stages - 1;
  const errorsBytes = frozen * trainCount * (config.joints + 1) * ERROR_TRIPLE_BYTES;
  const stagesBytes = frozen * modelFolderBytes(params) + errorsBytes;
  const modelBytes = config.stages * modelFolderBytes(params);
  return {
    checkpointBytes: perCheckpoint,
    checkpointsWritten: written,
    checkpointsKept: kept,
    stagesBytes,
    modelBytes,
    totalBytes: atOnce * perCheckpoint + stagesBytes + modelBytes,
  };
}
