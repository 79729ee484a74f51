// The DeepPose regressor's layers as data: buildModel turns them into tfjs layers, and the
// run estimate counts their parameters without allocating a network (the reference AlexNet
// would take 230 MB just to be counted).
import type { Architecture } from '../../pose/architectures';

export type LayerSpec =
  | { kind: 'conv'; name: string; filters: number; kernel: number; stride: number; padding: 'valid' | 'same' }
  | { kind: 'pool'; name: string; size: number; stride: number }
  | { kind: 'flatten'; name: string }
  | { kind: 'dense'; name: string; units: number; relu: boolean }
  | { kind: 'dropout'; name: string; rate: number };

/** AlexNet as the reference uses it, with the architecture's widths; fc8 regresses x, y per joint. */
export function networkPlan(arch: Architecture, joints: number): LayerSpec[] {
  const [c1, c2, c3, c4, c5] = arch.conv;
  return [
    { kind: 'conv', name: 'conv1', filters: c1, kernel: 11, stride: 4, padding: 'valid' },
    { kind: 'pool', name: 'pool1', size: 3, stride: 2 },
    { kind: 'conv', name: 'conv2', filters: c2, kernel: 5, stride: 1, padding: 'same' },
    { kind: 'pool', name: 'pool2', size: 3, stride: 2 },
    { kind: 'conv', name: 'conv3', filters: c3, kernel: 3, stride: 1, padding: 'same' },
    { kind: 'conv', name: 'conv4', filters: c4, kernel: 3, stride: 1, padding: 'same' },
    { kind: 'conv', name: 'conv5', filters: c5, kernel: 3, stride: 1, padding: 'same' },
    { kind: 'pool', name: 'pool5', size: 3, stride: 2 },
    { kind: 'flatten', name: 'flatten' },
    { kind: 'dense', name: 'fc6', units: arch.fc[0], relu: true },
    { kind: 'dropout', name: 'drop6', rate: arch.dropout },
    { kind: 'dense', name: 'fc7', units: arch.fc[1], relu: true },
    { kind: 'dropout', name: 'drop7', rate: arch.dropout },
    { kind: 'dense', name: 'fc8', units: joints * 2, relu: false },
  ];
}

/** Trainable parameters (weights and biases) of the plan on a square RGB input, as tfjs' countParams gives them. */
export function parameterCount(plan: readonly LayerSpec[], inputSize: number): number {
  let side = inputSize;
  let channels = 3;
  let features = 0;
  let total = 0;
  for (const layer of plan) {
    switch (layer.kind) {
      case 'conv':
        total += layer.kernel * layer.kernel * channels * layer.filters + layer.filters;
        side =
          layer.padding === 'same'
            ? Math.ceil(side / layer.stride)
            : Math.floor((side - layer.kernel) / layer.stride) + 1;
        channels = layer.filters;
        break;
      case 'pool':
        side = Math.floor((side - layer.size) / layer.stride) + 1;
        break;
      case 'flatten':
        features = side * side * channels;
        break;
      case 'dense':
        total += features * layer.units + layer.units;
        features = layer.units;
        break;
      case 'dropout':
        break;
    }
  }
  return total;
}
