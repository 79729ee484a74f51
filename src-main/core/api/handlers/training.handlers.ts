import type { StudioContext } from '../../studio-context';
import type { Handlers } from '../dispatch';
import { runServiceFor } from '../../runs/run-service';
import { backendAvailability, probeOnceWith } from '../../runs/backend-availability';
import { backendNames } from '../../../../src-shared/training/config';
import { runEstimatesFor } from '../../runs/run-estimates';
import { getProjectCatalogs } from '../../catalog/project-catalogs';
import { readProjectSetting, TRAIN_FORM_KEY, writeProjectSetting } from '../../catalog/project-settings';

type TrainingCalls =
  | 'training.backends'
  | 'training.summary'
  | 'training.estimate'
  | 'training.measureSpeed'
  | 'training.start'
  | 'training.stop'
  | 'training.resume'
  | 'training.formSettings'
  | 'training.keepFormSettings'
  | 'runs.list'
  | 'runs.get'
  | 'runs.delete'
  | 'runs.importBundle';

export function trainingHandlers(ctx: StudioContext): Pick<Handlers, TrainingCalls> {
  const runs = runServiceFor(ctx);
  const estimates = runEstimatesFor(ctx);
  return {
    // Probed in a worker started as the studio starts its workers (utilityProcess on the desktop).
    'training.backends': () => backendAvailability(backendNames, probeOnceWith(ctx.launchWorker)),
    'training.summary': ({ project }) => runs.summary(project),
    'training.estimate': ({ project, settings }) => estimates.estimate(project, settings),
    'training.measureSpeed': ({ project, settings }) => estimates.measureSpeed(project, settings),
    'training.start': ({ project, settings, name, torch }) => runs.start(project, settings, name, torch ?? {}),
    'training.stop': ({ project, runId }) => runs.stop(project, runId),
    'training.resume': ({ project, runId, torch }) => runs.resume(project, runId, undefined, torch ?? {}),
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
    'runs.importBundle': ({ project, dir, out }) => runs.importTrained(project, dir, out),
  };
}
