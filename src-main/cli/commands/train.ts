// `deeppose train`: one training run on a project's train split, validated on its val split.
import { basename, dirname, resolve } from 'node:path';
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { createStudio } from '../../core/studio';
import { runServiceFor } from '../../core/runs/run-service';
import { runEstimatesFor } from '../../core/runs/run-estimates';
import { describeEstimate } from '../../../src-shared/training/run-estimate';
import { belowBaselineNote } from '../../../src-shared/training/baseline-verdict';
import { settingOptions, settingsFromFlags, settingsUsage } from '../settings-flags';
import { defaultHome } from '../../core/studio-home';
import { followRun } from '../training-session';
import { applyThreadsOption, threadsOption, threadsUsage } from '../threads-option';
import { backendsHelp } from '../backends-help';
import { reportLines } from '../metrics-table';
import { PRESET_NAMES, TRAINING_PRESETS, type PresetName } from '../../../src-shared/training/presets';

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
  ].join('\n'),
  liveHelp: backendsHelp,
  options: {
    project: { type: 'string' },
    preset: { type: 'string' },
    ...settingOptions,
    resume: { type: 'string' },
    home: { type: 'string' },
    ...threadsOption,
  },
  async run(values) {
    applyThreadsOption(values);
    const project = resolve(requireString(values, 'project'));
    // Checked before anything opens: a bad flag is one line and exit 2.
    const preset = values.preset as string | undefined;
    if (preset !== undefined && !(PRESET_NAMES as string[]).includes(preset)) throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got '${preset}'`);
    const settings = { ...(preset ? TRAINING_PRESETS[preset as PresetName] : {}), ...settingsFromFlags(values) };
    const studio = createStudio({ home: (values.home as string | undefined) ?? defaultHome(), door: 'cli' });
    try {
      const runs = runServiceFor(studio.context);
      // What the run will take, before it starts (a resume goes on with what is left).
      if (!values.resume) console.log(describeEstimate(await runEstimatesFor(studio.context).estimate(project, settings)));
      const started = values.resume ? resumeTarget(runs, project, String(values.resume)) : runs.start(project, settings);
      if ('note' in started && started.note) console.log(started.note);
      const run = await followRun(studio, project, started);
      const pct = (fraction: number) => `${(100 * fraction).toFixed(1)}%`;
      const baseline = run.baselineValPck !== null ? ` (mean-pose baseline ${pct(run.baselineValPck)})` : '';
      console.log(`run ${run.id}: ${run.status}${run.bestValPck !== null ? ` · best validation PCK@0.2 ${pct(run.bestValPck)}${baseline}` : ''}`);
      if (run.valReport) for (const line of reportLines(run.valReport, 'last validation')) console.log(line);
      const below = belowBaselineNote(run);
      if (below) console.log(below);
      console.log(`files: ${run.dir}`);
      return run.status === 'finished' || run.status === 'stopped' ? 0 : 1;
    } finally {
      await studio.close();
    }
  },
};

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
