// How a run's validation scores PCK: at 0.2 of the torso diameter, with the run's choice on
// occluded joints and its torso pairs. The run's validation and its mean-pose baseline both
// read it, so the line on the chart is measured as the curve beside it is.
import type { TrainingConfig } from '../../../src-shared/training/config';

export function validationPckOptions(config: Pick<TrainingConfig, 'countOccluded' | 'torsoPairs'>): {
  alpha: number;
  countOccluded: boolean;
  torsoPairs?: [number, number][];
} {
  return { alpha: 0.2, countOccluded: config.countOccluded, torsoPairs: config.torsoPairs };
}
