// A run's mean-pose baseline: the validation PCK of always answering the training set's mean
// pose, placed in each validation image's view by the crop rule and scored as the run's
// validation scores. Computed by the host when it launches the run, on the examples it hands
// the worker, and stored with the run: the one figure the Train view and the CLI show.
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { Example } from '../catalog/examples';
import { meanPoseBaseline, posesInView } from '../metrics/mean-pose-baseline';
import { validationPckOptions } from '../metrics/validation-pck';
import type { Joints } from '../pose/pose-joints';

export function baselineValPck(
  train: Example[],
  val: Example[],
  config: Pick<TrainingConfig, 'countOccluded' | 'torsoPairs'>,
): number | null {
  return runBaseline(train, val, config)?.pck ?? null;
}

/** The baseline's PCK and its answers on each val example (the full report scores those); null without train or val. */
export function runBaseline(
  train: Example[],
  val: Example[],
  config: Pick<TrainingConfig, 'countOccluded' | 'torsoPairs'>,
): { pck: number | null; predictions: Joints[] } | null {
  if (train.length === 0 || val.length === 0) return null;
  const baseline = meanPoseBaseline(posesInView(train), posesInView(val), validationPckOptions(config));
  return { pck: baseline.metrics.pck.mean, predictions: baseline.predictions };
}
