// `deeppose train`: one training run on a project's train split, validated on its val split.
import { basename, dirname, resolve } from 'node:path';
import type { Command } from '../command';
import { optionalNumber, requireString, UsageError } from '../command';
import { createStudio } from '../../core/studio';
import { runServiceFor } from '../../core/runs/run-service';
import { backendNames, modelNames } from '../../../src-shared/training/config';
import type { TrainingSettingsInput } from '../../../src-shared/api/training.contract';
import { defaultHome } from '../../core/studio-home';
import { followRun } from '../training-session';

export const trainCommand: Command = {
  usage: [
    'deeppose train --project DIR [--optimizer MomentumSGD|Adam] [--lr X] [--momentum X] [--epochs N] [--batch-size N]',
    '               [--val-every N] [--checkpoint-every N] [--keep-checkpoints N] [--no-use-visibility] [--no-augment] [--flip] [--seed N]',
    '               [--stages N] [--cascade-sigma S] [--refine-epochs N] [--refine-draws N]',
    `               [--backend auto|${backendNames.join('|')}] [--model ${modelNames.join('|')}] [--resume RUN_DIR|CHECKPOINT]`,
    '',
    '  Defaults are the reference work: MomentumSGD, lr 0.01, momentum 0.9, batch 32, the reference AlexNet,',
    '  visibility-aware loss, random crop + PCA colour noise. --resume continues a run from its newest valid',
    '  checkpoint (a run folder) or from the checkpoint folder given.',
  ].join('\n'),
  options: {
    project: { type: 'string' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    momentum: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'val-every': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'keep-checkpoints': { type: 'string' },
    'no-use-visibility': { type: 'boolean' },
    'no-augment': { type: 'boolean' },
    flip: { type: 'boolean' },
    seed: { type: 'string' },
    stages: { type: 'string' },
    'cascade-sigma': { type: 'string' },
    'refine-epochs': { type: 'string' },
    'refine-draws': { type: 'string' },
    backend: { type: 'string' },
    model: { type: 'string' },
    resume: { type: 'string' },
    home: { type: 'string' },
  },
  async run(values) {
    const project = resolve(requireString(values, 'project'));
    const studio = createStudio({ home: (values.home as string | undefined) ?? defaultHome(), door: 'cli' });
    try {
      const runs = runServiceFor(studio.context);
      const started = values.resume ? resumeTarget(runs, project, String(values.resume)) : runs.start(project, settingsFrom(values));
      const run = await followRun(studio, project, started);
      console.log(`run ${run.id}: ${run.status}${run.bestValPck !== null ? ` · best validation PCK@0.2 ${(100 * run.bestValPck).toFixed(1)}%` : ''}`);
      console.log(`files: ${run.dir}`);
      return run.status === 'finished' || run.status === 'stopped' ? 0 : 1;
    } finally {
      await studio.close();
    }
  },
};

function settingsFrom(values: Record<string, unknown>): TrainingSettingsInput {
  const choice = <T extends string>(name: string, options: readonly T[]): T | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (!options.includes(value as T)) throw new UsageError(`--${name} must be one of ${options.join(', ')}, got '${String(value)}'`);
    return value as T;
  };
  const settings: TrainingSettingsInput = {
    optimizer: choice('optimizer', ['MomentumSGD', 'Adam'] as const),
    model: choice('model', modelNames),
    backend: choice('backend', ['auto', ...backendNames] as const),
    lr: optionalNumber(values, 'lr'),
    momentum: optionalNumber(values, 'momentum'),
    epochs: optionalNumber(values, 'epochs'),
    batchSize: optionalNumber(values, 'batch-size'),
    valEvery: optionalNumber(values, 'val-every'),
    checkpointEvery: optionalNumber(values, 'checkpoint-every'),
    keepCheckpoints: optionalNumber(values, 'keep-checkpoints'),
    seed: optionalNumber(values, 'seed'),
    stages: optionalNumber(values, 'stages'),
    cascadeSigma: optionalNumber(values, 'cascade-sigma'),
    refineEpochs: optionalNumber(values, 'refine-epochs'),
    refineDraws: optionalNumber(values, 'refine-draws'),
    useVisibility: values['no-use-visibility'] ? false : undefined,
    augment: values['no-augment'] ? false : undefined,
    flip: values.flip ? true : undefined,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as TrainingSettingsInput;
}

/** `--resume` takes a run folder (<project>/runs/<id>) or one of its checkpoint folders. */
function resumeTarget(runs: ReturnType<typeof runServiceFor>, project: string, target: string) {
  const path = resolve(target);
  const runsDir = resolve(project, 'runs');
  if (dirname(path) === runsDir) return runs.resume(project, basename(path));
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    if (dirname(dir) === runsDir) return runs.resume(project, basename(dir), path);
  }
  throw new UsageError(`--resume must be a run folder under ${runsDir} or a checkpoint inside one, got '${target}'`);
}
