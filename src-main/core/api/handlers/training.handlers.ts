import { join } from 'node:path';
import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import { StudioError } from '../../../../src-shared/api/define';
import type { TorchLaunch, trainingCalls } from '../../../../src-shared/api/training.contract';
import { runServiceFor } from '../../runs/run-service';
import { backendAvailability, probeOnceWith } from '../../runs/backend-availability';
import { backendNames } from '../../../../src-shared/training/config';
import { runEstimatesFor } from '../../runs/run-estimates';
import { getProjectCatalogs } from '../../catalog/project-catalogs';
import { readProjectSetting, TRAIN_FORM_KEY, writeProjectSetting } from '../../catalog/project-settings';
import { listExamples } from '../../catalog/examples';
import { posesInView } from '../../metrics/mean-pose-baseline';
import { scoreOnNewPictures } from '../../predictions/new-pictures-check';
import { trainingConfigSchema } from '../../../../src-shared/training/config';

/** The program a run starts is chosen where the studio runs (CLI, desktop), never by a browser holding serve's token. */
function torchHere(ctx: StudioContext, torch: TorchLaunch | undefined): TorchLaunch | undefined {
  if (torch?.python !== undefined && ctx.door === 'serve')
    throw new StudioError(
      'forbidden',
      "torch.python: the python a run starts is chosen where the studio runs ('deeppose train --python'), not through serve",
    );
  return torch;
}

export function trainingHandlers(ctx: StudioContext): HandlersOf<typeof trainingCalls> {
  const runs = runServiceFor(ctx);
  const estimates = runEstimatesFor(ctx);
  return {
    // Probed in a worker started as the studio starts its workers (utilityProcess on the desktop).
    'training.backends': () => backendAvailability(backendNames, probeOnceWith(ctx.launchWorker)),
    'training.summary': ({ project }) => runs.summary(project),
    'training.estimate': ({ project, settings }) => estimates.estimate(project, settings),
    'training.measureSpeed': ({ project, settings }) => estimates.measureSpeed(project, settings),
    'training.start': ({ project, settings, name, torch }) =>
      runs.start(project, settings, name, torchHere(ctx, torch)),
    'training.stop': ({ project, runId }) => runs.stop(project, runId),
    'training.resume': ({ project, runId, checkpoint, torch, engine }) =>
      runs.resume(project, runId, checkpoint, torchHere(ctx, torch), engine),
    'training.writeBundle': ({ project, settings, out }) => runs.writeBundle(project, settings, out),
    'training.formSettings': ({ project }) => {
      const stored = readProjectSetting(getProjectCatalogs(ctx).get(project), TRAIN_FORM_KEY);
      return stored && typeof stored === 'object' && !Array.isArray(stored)
        ? (stored as Record<string, unknown>)
        : null;
    },
    'training.keepFormSettings': ({ project, settings }) => {
      writeProjectSetting(getProjectCatalogs(ctx).get(project), TRAIN_FORM_KEY, settings);
      return { kept: true as const };
    },
    'runs.list': ({ project }) => runs.list(project),
    'runs.get': ({ project, runId }) => runs.get(project, runId),
    'runs.delete': ({ project, runId }) => runs.delete(project, runId),
    'runs.import': ({ project, bundle, out }) => runs.importTrained(project, bundle, out),
    // The demo's last figure: the run's final model on pictures drawn fresh, against the mean pose of its train split.
    'runs.scoreNewPictures': async ({ project, runId, folder, count, seed, backend }) => {
      const { run } = runs.get(project, runId);
      const train = posesInView(listExamples(getProjectCatalogs(ctx).get(project), 'train'));
      return scoreOnNewPictures({
        launcher: ctx.launchWorker,
        modelDir: join(run.dir, 'model'),
        cropScale: trainingConfigSchema.parse(run.config).cropScale,
        backend,
        folder,
        count,
        seed,
        train,
      });
    },
  };
}
