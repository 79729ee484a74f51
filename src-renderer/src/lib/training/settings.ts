// The training settings form, driven by the one settings schema: defaults and checks come from
// it field by field (an object-level parse would make zod probe `new Function`, which the CSP forbids).
import type { z } from 'zod';
import { TrainingSettings, type BackendStatus } from '../../../../src-shared/api/training.contract';
import { backendNames, modelInputSizes, modelNames } from '../../../../src-shared/training/config';
import {
  defaultLearningRate as optimizerRate,
  MAX_BATCH_SIZE,
  settingProblem,
} from '../../../../src-shared/training/setting-problems';

export type Settings = z.output<typeof TrainingSettings>;
export type SettingKey = keyof Settings;

const shape = TrainingSettings.shape;

export function defaultSettings(): Settings {
  const entries = Object.entries(shape).map(([key, field]) => [key, (field as z.ZodType).parse(undefined)]);
  return Object.fromEntries(entries) as Settings;
}

/** Why a value is refused, in the user's words ("Learning rate must be greater than 0"); null when it is fine. */
export function settingError(key: SettingKey, value: unknown): string | null {
  const label = settingFields.find((f) => f.key === key)?.label ?? key;
  if (value === null && key !== 'lrSchedule') return `${label} is required`;
  return settingProblem(shape[key] as z.ZodType, value, label);
}

export function settingsErrors(settings: Settings): Partial<Record<SettingKey, string>> {
  const errors: Partial<Record<SettingKey, string>> = {};
  for (const key of Object.keys(shape) as SettingKey[]) {
    const error = settingError(key, settings[key]);
    if (error) errors[key] = error;
  }
  return errors;
}

/** The optimizer's usual rate: Adam's is smaller than SGD's. */
export function defaultLearningRate(optimizer: Settings['optimizer']): number {
  return optimizerRate(optimizer, shape.lr.parse(undefined) as number);
}

type Choice<K extends SettingKey> = { value: Settings[K]; label: string };

export type SettingField =
  | {
      key: SettingKey;
      kind: 'number';
      label: string;
      help: string;
      step: number;
      min: number;
      placeholder?: string;
      shown?: (s: Settings) => boolean;
    }
  | {
      key: SettingKey;
      kind: 'select';
      label: string;
      help: string;
      choices: Choice<SettingKey>[];
      shown?: (s: Settings) => boolean;
    }
  | { key: SettingKey; kind: 'checkbox'; label: string; help: string; shown?: (s: Settings) => boolean };

const modelHelp: Record<(typeof modelNames)[number], string> = {
  alexnet: 'the paper’s, slow on a CPU',
  'alexnet-small': 'narrower, faster',
  'alexnet-tiny': 'for quick trials',
};

export const settingFields: SettingField[] = [
  {
    key: 'model',
    kind: 'select',
    label: 'Architecture',
    help: `Network that regresses the joint coordinates from a square crop of ${modelNames.map((m) => `${modelInputSizes[m]} px (${m})`).join(', ')}.`,
    choices: modelNames.map((m) => ({ value: m, label: `${m} (${modelHelp[m]})` })),
  },
  {
    key: 'optimizer',
    kind: 'select',
    label: 'Optimizer',
    help: 'MomentumSGD as in the paper, or Adam, which adapts its step per weight and usually converges faster.',
    choices: [
      { value: 'MomentumSGD', label: 'MomentumSGD' },
      { value: 'Adam', label: 'Adam' },
    ],
  },
  {
    key: 'lr',
    kind: 'number',
    label: 'Learning rate',
    step: 0.0001,
    min: 0,
    help: 'Size of each update step: 0.01 for SGD, 0.001 for Adam. Too high and the loss explodes.',
  },
  {
    key: 'momentum',
    kind: 'number',
    label: 'Momentum',
    step: 0.05,
    min: 0,
    help: 'Share of the previous update carried into the next (SGD only).',
    shown: (s) => s.optimizer === 'MomentumSGD',
  },
  { key: 'epochs', kind: 'number', label: 'Epochs', step: 1, min: 1, help: 'Passes over the training images.' },
  {
    key: 'batchSize',
    kind: 'number',
    label: 'Batch size',
    step: 1,
    min: 1,
    help: `Images per update (at most ${MAX_BATCH_SIZE}); larger is smoother but needs more memory.`,
  },
  {
    key: 'valEvery',
    kind: 'number',
    label: 'Validate every (epochs)',
    step: 1,
    min: 1,
    help: 'How often loss and PCK are measured on the val split.',
  },
  {
    key: 'checkpointEvery',
    kind: 'number',
    label: 'Checkpoint every (epochs)',
    step: 1,
    min: 1,
    placeholder: 'auto: epochs ÷ 10',
    help: 'Saved model and optimizer state to resume from. Stop always writes one.',
  },
  {
    key: 'keepCheckpoints',
    kind: 'number',
    label: 'Keep newest checkpoints',
    step: 1,
    min: 0,
    help: 'Resume starts from the newest. 0 keeps every checkpoint; a reference AlexNet checkpoint is about 470 MB.',
  },
  {
    key: 'keepBestCheckpoint',
    kind: 'checkbox',
    label: 'Also keep the best checkpoint',
    help: "The checkpoint with the best validation PCK stays too: the run's model is its last epoch's.",
    shown: (s) => s.keepCheckpoints > 0,
  },
  {
    key: 'useVisibility',
    kind: 'checkbox',
    label: 'Visibility-aware loss',
    help: 'Leave unlabeled joints out of the loss instead of pulling them to (0, 0).',
  },
  {
    key: 'countOccluded',
    kind: 'checkbox',
    label: 'Count occluded joints',
    help: 'Labeled-but-hidden joints still count in the loss.',
    shown: (s) => s.useVisibility,
  },
  {
    key: 'augment',
    kind: 'checkbox',
    label: 'Augmentation',
    help: 'Random crops of the padded image at the model’s input side, and PCA colour noise.',
  },
  {
    key: 'augmentation',
    kind: 'select',
    label: 'Augmentation style',
    help: "Studio: uniform random cuts, ImageNet's PCA colour noise. Reference: the article's cut that keeps the joints in, and noise along each picture's own colours.",
    choices: [
      { value: 'studio', label: 'studio' },
      { value: 'reference', label: 'reference article' },
    ],
    shown: (s) => s.augment,
  },
  {
    key: 'flip',
    kind: 'checkbox',
    label: 'Horizontal flip',
    help: "Mirror images at random, swapping left and right joints (from the skeleton's pairs).",
  },
  {
    key: 'stages',
    kind: 'number',
    label: 'Cascade stages',
    step: 1,
    min: 1,
    help: 'DeepPose cascade: stage 1 sees the whole person view; each later stage refines every joint from a close-up around its estimate. 1 = the reference single-stage network.',
  },
  {
    key: 'cascadeSigma',
    kind: 'number',
    label: 'Close-up size (× torso)',
    step: 0.1,
    min: 0.5,
    help: "Side of a refinement stage's close-up, as a multiple of the estimated torso diameter (default 3; the paper's σ = 2 on LSP).",
    shown: (s) => s.stages > 1,
  },
  {
    key: 'refineEpochs',
    kind: 'number',
    label: 'Epochs per refinement stage',
    step: 1,
    min: 1,
    placeholder: 'same as Epochs',
    help: 'Passes of each refinement stage over the training images.',
    shown: (s) => s.stages > 1,
  },
  {
    key: 'refineDraws',
    kind: 'number',
    label: 'Close-ups per image and epoch',
    step: 1,
    min: 1,
    help: 'Joints drawn per training image in each refinement epoch, each around a simulated estimate.',
    shown: (s) => s.stages > 1,
  },
  {
    key: 'refineFocus',
    kind: 'select',
    label: 'Close-ups drawn for',
    help: 'Every joint alike, or each joint in proportion to how far the earlier stages missed it (more close-ups of wrists and ankles).',
    choices: [
      { value: 'uniform', label: 'every joint alike' },
      { value: 'error', label: 'joints by their error' },
    ],
    shown: (s) => s.stages > 1,
  },
  {
    key: 'seed',
    kind: 'number',
    label: 'Seed',
    step: 1,
    min: 0,
    help: 'Same seed, same data order and initial weights: runs repeat.',
  },
  {
    key: 'backend',
    kind: 'select',
    label: 'Backend',
    help: 'auto picks the fastest that works here; naming one forces it.',
    choices: [{ value: 'auto', label: 'auto' }, ...backendNames.map((b) => ({ value: b, label: b }))],
    shown: (s) => s.engine !== 'torch',
  },
  {
    key: 'engine',
    kind: 'select',
    label: 'Engine',
    help: 'This computer’s fastest training step (oneDNN where built, else one ONNX graph, else TensorFlow.js’ own; name one to compare them), or PyTorch: your own python3 with torch, on its GPUs (every cascade stage; a run goes on with either engine).',
    choices: [
      { value: 'auto', label: 'this computer (fastest)' },
      { value: 'onednn', label: 'this computer: oneDNN step' },
      { value: 'onnx-graph', label: 'this computer: ONNX graph step' },
      { value: 'tfjs', label: 'this computer: TensorFlow.js step' },
      { value: 'torch', label: 'PyTorch' },
    ],
  },
];

/** The backend a run with this choice would use, or why none would. */
export function backendThatWillRun(
  backends: readonly BackendStatus[],
  choice: Settings['backend'],
): { name: string | null; why: string } {
  if (choice === 'auto') {
    const preferred = backends.find((b) => b.preferred && b.available) ?? backends.find((b) => b.available);
    return preferred
      ? { name: preferred.name, why: 'the fastest backend that works on this machine' }
      : { name: null, why: 'no backend can run on this machine' };
  }
  const forced = backends.find((b) => b.name === choice);
  if (!forced) return { name: null, why: `${choice} is unknown here` };
  return forced.available
    ? { name: forced.name, why: 'forced in the settings' }
    : { name: null, why: `${choice} is forced but cannot run: ${forced.reason}` };
}

/** One line that tells runs apart in the list: optimizer, rate, model, length. */
export function describeSettings(config: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof config.optimizer === 'string')
    parts.push(`${config.optimizer}${typeof config.lr === 'number' ? ` lr ${config.lr}` : ''}`);
  if (typeof config.model === 'string') parts.push(config.model);
  if (typeof config.epochs === 'number')
    parts.push(`${config.epochs} epochs${typeof config.batchSize === 'number' ? ` × batch ${config.batchSize}` : ''}`);
  if (typeof config.stages === 'number' && config.stages > 1) parts.push(`${config.stages}-stage cascade`);
  const extras = (['augment', 'flip', 'useVisibility'] as const).filter((k) => config[k] === true);
  if (extras.length) parts.push(extras.map((k) => (k === 'useVisibility' ? 'visibility' : k)).join('+'));
  if (typeof config.seed === 'number') parts.push(`seed ${config.seed}`);
  return parts.join(' · ');
}

/** Settings of an earlier run back into the form; fields it lacks keep their defaults. */
export function settingsFromConfig(config: Record<string, unknown>): Settings {
  const settings = defaultSettings() as Record<string, unknown>;
  for (const key of Object.keys(shape) as SettingKey[]) {
    if (key in config && settingError(key, config[key]) === null) settings[key] = config[key];
  }
  return settings as Settings;
}
