import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { trainingCalls } from '../../../../src-shared/api/training.contract';
import { runServiceFor } from '../../runs/run-service';
import { backendAvailability, probeOnceWith } from '../../runs/backend-availability';
import { backendNames } from '../../../../src-shared/training/config';
import { runEstimatesFor } from '../../runs/run-estimates';
import { getProjectCatalogs } from '../../catalog/project-catalogs';
import { readProjectSetting, TRAIN_FORM_KEY, writeProjectSetting } from '../../catalog/project-settings';

export function trainingHandlers(ctx: StudioContext): HandlersOf<typeof trainingCalls> {
  const runs = runServiceFor(ctx);
  const estimates = runEstimatesFor(ctx);
  return {
    // Probed in a worker started as the studio starts its workers (utilityProcess on the desktop).
    'training.backends': () => backendAvailability(backendNames, probeOnceWith(ctx.launchWorker)),
    'training.summary': ({ project }) => runs.summary(project),
    'training.estimate': ({ project, settings }) => estimates.estimate(project, settings),
    'training.measureSpeed': ({ project, settings }) => estimates.measureSpeed(project, settings),
    'training.start': ({ project, settings, name }) => runs.start(project, settings, name),
    'training.stop': ({ project, runId }) => runs.stop(project, runId),
    'training.resume': ({ project, runId }) => runs.resume(project, runId),
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
  };
}
