// `deeppose demo`: the whole studio in one command on built-in sample data — a sample
// project, a short cascade training run sized for a CPU, then the figure a user gets:
// PCK on a folder of new pictures predicted as any folder is, per cascade stage, against the
// mean-pose baseline ("knows nothing about the image"), beside the best validation PCK.
// Every step is a call through the dispatcher: 'projects.createSample', 'training.start',
// 'runs.scoreNewPictures', the same calls the desktop's sample project and Train view make.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../command';
import { optionalNumber, UsageError } from '../command';
import { backendNames, type BackendName } from '../../../src-shared/training/config';
import { withStudio } from '../studio-client';
import { followRun } from '../training-session';
import { ProgressDisplay } from '../progress-display';
import { followTask } from '../task-follower';

export const demoCommand: Command = {
  usage: `deeppose demo [--out DIR (default ~/.deeppose-studio/projects/demo-<time>)] [--count N] [--epochs N] [--backend auto|${backendNames.join('|')}] [--seed N]`,
  options: {
    out: { type: 'string' },
    count: { type: 'string' },
    epochs: { type: 'string' },
    backend: { type: 'string' },
    seed: { type: 'string' },
    home: { type: 'string' },
  },
  async run(values) {
    const home = values.home as string | undefined;
    const outGiven = values.out as string | undefined;
    const backend = (values.backend as string | undefined) ?? 'auto';
    if (backend !== 'auto' && !(backendNames as readonly string[]).includes(backend))
      throw new UsageError(`--backend must be auto or one of ${backendNames.join(', ')}`);
    const seed = optionalNumber(values, 'seed') ?? 1;
    return withStudio(home, async (studio) => {
      const studioHome = (await studio.call('studio.info', {})).home;
      const project = resolve(
        outGiven ?? join(studioHome, 'projects', `demo-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}`),
      );
      if (existsSync(join(project, 'catalog.sqlite')))
        throw new UsageError(`${project} already holds a project: choose another --out`);
      const drawing = new ProgressDisplay('sample');
      const { taskId } = await studio.call('projects.createSample', {
        folder: project,
        count: optionalNumber(values, 'count') ?? DEMO.count,
        seed,
      });
      await followTask(studio, taskId, {
        onProgress: (task) => drawing.update(task.current, task.total, task.message),
        cancelled: 'demo: cancelled while drawing the sample project',
      });
      drawing.end();
      console.log(`sample project: ${project}`);

      const started = await studio.call('training.start', {
        project,
        settings: {
          ...DEMO.settings,
          epochs: optionalNumber(values, 'epochs') ?? DEMO.settings.epochs,
          seed,
          backend: backend as BackendName | 'auto',
        },
        name: 'demo',
      });
      const run = await followRun(studio, project, started, { brief: true });
      console.log('');
      console.log(
        `${run.status} on ${run.backend} in ${Math.round(run.durationSeconds ?? 0)} s · best validation PCK@0.2 ${pct(run.bestValPck)} (mean-pose baseline ${pct(run.baselineValPck)})`,
      );
      if (run.status !== 'finished') return 1;
      console.log(`predicting ${DEMO.newPictures} new pictures the model has never seen, as any folder is predicted…`);
      const score = await studio.call('runs.scoreNewPictures', {
        project,
        runId: run.id,
        folder: join(project, 'new-pictures'),
        count: DEMO.newPictures,
        seed: seed + 1_000_000,
        backend: backend as BackendName | 'auto',
      });
      const model = score.stagePck.at(-1) ?? null;
      console.log(
        `PCK@0.2 on ${score.count} new pictures  ${score.stagePck.map((p, s) => `stage ${s + 1} ${pct(p)}`).join(' → ')}   mean-pose baseline ${pct(score.baselinePck)}`,
      );
      if (model !== null && score.baselinePck !== null) {
        console.log(
          model > score.baselinePck
            ? `the model beats the baseline by ${(100 * (model - score.baselinePck)).toFixed(1)} points on pictures it never saw: it learnt pose from pixels`
            : 'the model has not beaten the baseline yet: train longer (--epochs) or on more images (--count)',
        );
      }
      console.log(`new pictures: ${score.folder}`);
      console.log(`run files (checkpoints, model in TensorFlow.js format): ${run.dir}`);
      console.log(`look at it: npm run serve (or npm start), then open '${project}' from the project list`);
      return run.status === 'finished' ? 0 : 1;
    });
  },
};

/** Sized to finish in a few minutes on two CPU cores. */
// The reference AlexNet at batch 32 needs days on a CPU; the tiny variant with small
// batches takes enough steps in a few minutes to get clear of the mean pose.
const DEMO = {
  count: 1000,
  newPictures: 100,
  settings: {
    model: 'alexnet-tiny',
    optimizer: 'Adam',
    lr: 0.001,
    epochs: 20,
    refineDraws: 1,
    batchSize: 16,
    valEvery: 4,
    checkpointEvery: 10,
    augment: true,
  },
} as const;

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(100 * value).toFixed(1)}%`;
}
