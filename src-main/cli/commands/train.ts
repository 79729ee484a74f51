// `deeppose train`: one training run on a project's train split, validated on its val split.
import { basename, dirname, resolve } from 'node:path';
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { describeEstimate } from '../../../src-shared/training/run-estimate';
import { belowBaselineNote } from '../../../src-shared/training/baseline-verdict';
import { settingOptions, settingsFromFlags, settingsUsage } from '../settings-flags';
import { followRun } from '../training-session';
import { applyThreadsOption, threadsOption, threadsUsage } from '../threads-option';
import { backendsHelp } from '../backends-help';
import { reportLines } from '../metrics-table';
import { PRESET_NAMES, TRAINING_PRESETS, type PresetName } from '../../../src-shared/training/presets';
import type { TorchLaunch, TrainingSettingsInput } from '../../../src-shared/api/training.contract';
import { withStudio, type StudioClient } from '../studio-client';
import type { EngineName } from '../../../src-shared/training/config';

/** --nproc, --python and --bundle-only belong to the torch engine: one line when given without it. */
function torchOptions(values: Record<string, unknown>, settings: TrainingSettingsInput): TorchLaunch {
  const given = ['nproc', 'python', 'bundle-only'].filter((flag) => values[flag] !== undefined);
  if (given.length && settings.engine !== 'torch') throw new UsageError(`--${given[0]} needs --engine torch`);
  const options: TorchLaunch = {};
  if (values.nproc !== undefined) {
    const n = Number(values.nproc);
    if (!Number.isInteger(n) || n < 1 || n > 1024)
      throw new UsageError(`--nproc must be a whole number of processes from 1, got '${String(values.nproc)}'`);
    options.nproc = n;
  }
  if (values.python !== undefined) options.python = String(values.python) as TorchLaunch['python'];
  return options;
}

export const trainCommand: Command = {
  usage: [
    'deeppose train --project DIR [--preset reference] [settings] [--resume RUN_DIR|CHECKPOINT] [--threads N]',
    '',
    `  --preset NAME   start from a named set of settings (${PRESET_NAMES.join(', ')}: the reference article's PyTorch training);`,
    '                  flags given beside it override its values',
    '',
    'Settings (one flag per training setting; defaults are the reference work):',
    settingsUsage(),
    threadsUsage,
    '',
    '  --resume continues a run from its newest valid checkpoint (a run folder) or from the checkpoint',
    '  folder given; the run keeps its own settings.',
    '',
    'The PyTorch engine (--engine torch; your own python3 with PyTorch, never installed by the studio):',
    '  --nproc N            processes on this machine: one per GPU, or CPU processes (default 1; N > 1 runs torchrun)',
    '  --python PATH        the python3 that has torch (default python3 on PATH)',
    '  --bundle-only OUT    write the run bundle, the engine, a torchrun launch line and an sbatch script to OUT; train nothing',
  ].join('\n'),
  liveHelp: backendsHelp,
  options: {
    project: { type: 'string' },
    preset: { type: 'string' },
    ...settingOptions,
    resume: { type: 'string' },
    nproc: { type: 'string' },
    python: { type: 'string' },
    'bundle-only': { type: 'string' },
    home: { type: 'string' },
    ...threadsOption,
  },
  async run(values) {
    applyThreadsOption(values);
    const project = resolve(requireString(values, 'project'));
    // Checked before anything opens: a bad flag is one line and exit 2.
    const preset = values.preset as string | undefined;
    if (preset !== undefined && !(PRESET_NAMES as string[]).includes(preset))
      throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got '${preset}'`);
    const settings: TrainingSettingsInput = {
      ...(preset ? TRAINING_PRESETS[preset as PresetName] : {}),
      ...settingsFromFlags(values),
    };
    const torch = torchOptions(values, settings);
    return withStudio(values.home as string | undefined, async (studio) => {
      if (values['bundle-only'] !== undefined) {
        const bundle = await studio.call('training.writeBundle', {
          project,
          settings,
          out: resolve(String(values['bundle-only'])),
        });
        console.log(
          `run bundle: ${bundle.dir} (${bundle.train} train / ${bundle.val} val crops, manifest.json with sha256s; engine/ holds the Python package)`,
        );
        console.log(
          `one machine:   PYTHONPATH=${bundle.dir}/engine torchrun --standalone --nproc_per_node N --redirects 2 --tee 2 -m deeppose_torch.train ${bundle.dir}`,
        );
        console.log(
          `many machines (${bundle.dir}/launch.sh; Slurm: sbatch ${bundle.dir}/sbatch.sh):\n${bundle.launch}`,
        );
        return 0;
      }
      // What the run will take, before it starts (a resume goes on with what is left).
      if (!values.resume) console.log(describeEstimate(await studio.call('training.estimate', { project, settings })));
      const started = values.resume
        ? await resumeTarget(studio, project, String(values.resume), torch, settings.engine)
        : await studio.call('training.start', { project, settings, torch });
      if ('note' in started && started.note) console.log(started.note);
      const run = await followRun(studio, project, started);
      const pct = (fraction: number) => `${(100 * fraction).toFixed(1)}%`;
      const baseline = run.baselineValPck !== null ? ` (mean-pose baseline ${pct(run.baselineValPck)})` : '';
      console.log(
        `run ${run.id}: ${run.status}${run.bestValPck !== null ? ` · best validation PCK@0.2 ${pct(run.bestValPck)}${baseline}` : ''}`,
      );
      if (run.valReport) for (const line of reportLines(run.valReport, 'last validation')) console.log(line);
      const below = belowBaselineNote(run);
      if (below) console.log(below);
      console.log(`files: ${run.dir}`);
      return run.status === 'finished' || run.status === 'stopped' ? 0 : 1;
    });
  },
};

/** `--resume` takes a run folder (<project>/runs/<id>) or one of its checkpoint folders. */
function resumeTarget(
  studio: StudioClient,
  project: string,
  target: string,
  torch: TorchLaunch,
  engine: EngineName | undefined,
) {
  const path = resolve(target);
  const runsDir = resolve(project, 'runs');
  if (dirname(path) === runsDir)
    return studio.call('training.resume', { project, runId: basename(path), torch, engine });
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    if (dirname(dir) === runsDir)
      return studio.call('training.resume', { project, runId: basename(dir), checkpoint: path, torch, engine });
  }
  throw new UsageError(`--resume must be a run folder under ${runsDir} or a checkpoint inside one, got '${target}'`);
}
