// The DeepPose regressors as named choices. 'alexnet' is the reference network; the others
// keep its topology with fewer channels and a smaller input so a CPU can train them quickly.
import { modelInputSizes, type ModelName } from '../../../src-shared/training/config';

export interface Architecture {
  name: ModelName;
  /** Square input side in pixels; targets are joint pixels divided by it. */
  inputSize: number;
  /** Filters of conv1..conv5. */
  conv: [number, number, number, number, number];
  /** Units of fc6 and fc7. */
  fc: [number, number];
  dropout: number;
}

// The CPU variants train without dropout: on short runs (hundreds of steps) dropout 0.5
// keeps them at the mean pose, while random crops and colour noise already regularise.
export const architectures: Record<ModelName, Architecture> = {
  alexnet: {
    name: 'alexnet',
    inputSize: modelInputSizes.alexnet,
    conv: [96, 256, 384, 384, 256],
    fc: [4096, 4096],
    dropout: 0.5,
  },
  'alexnet-small': {
    name: 'alexnet-small',
    inputSize: modelInputSizes['alexnet-small'],
    conv: [32, 64, 96, 96, 64],
    fc: [512, 512],
    dropout: 0,
  },
  'alexnet-tiny': {
    name: 'alexnet-tiny',
    inputSize: modelInputSizes['alexnet-tiny'],
    conv: [16, 32, 48, 48, 32],
    fc: [128, 128],
    dropout: 0,
  },
};

/** The side the example is cropped to before the input-size crop (256 for a 227 input). */
export function baseSize(arch: Pick<Architecture, 'inputSize'>): number {
  return Math.round((arch.inputSize * 256) / 227);
}
