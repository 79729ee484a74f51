// Named sets of training settings. 'reference' trains as the reference article's PyTorch code
// does: the reference AlexNet (dropout 0.5 before fc7 and fc8), MomentumSGD at 0.01 with
// momentum 0.9, batch 32, one network (no cascade), its joint-constrained random cut and its
// per-picture colour noise, and a loss over visible joints only. README's "The reference
// preset" lists where the studio's defaults depart from it and why.
import type { TrainingSettingsInput } from '../api/training.contract';

export const TRAINING_PRESETS = {
  reference: {
    model: 'alexnet',
    optimizer: 'MomentumSGD',
    lr: 0.01,
    momentum: 0.9,
    batchSize: 32,
    stages: 1,
    augment: true,
    augmentation: 'reference',
    flip: false,
    useVisibility: true,
    countOccluded: false,
    lrSchedule: null,
  },
} as const satisfies Record<string, TrainingSettingsInput>;

export type PresetName = keyof typeof TRAINING_PRESETS;
export const PRESET_NAMES = Object.keys(TRAINING_PRESETS) as PresetName[];
