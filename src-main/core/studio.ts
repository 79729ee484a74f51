// One running studio: the services behind every door. Doors (Electron IPC, the serve
// HTTP/WebSocket server, the CLI) only translate requests into `dispatch` calls.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { EventBus } from './events/event-bus';
import { TaskManager } from './tasks/task-manager';
import { AllowedRoots } from './files/allowed-roots';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatch';
import { guardDoorPaths } from './api/door-paths';
import type { Door, StudioContext } from './studio-context';
import { forkLauncher, type WorkerLauncher } from './worker/worker-launcher';
import { studioHandlers } from './api/handlers/studio.handlers';
import { taskHandlers } from './api/handlers/tasks.handlers';
import { catalogHandlers } from './api/handlers/catalog.handlers';
import { trainingHandlers } from './api/handlers/training.handlers';
import { predictionHandlers } from './api/handlers/predictions.handlers';
import { sampleHandlers } from './api/handlers/sample.handlers';
import { modelHandlers } from './api/handlers/models.handlers';
import { fileHandlers } from './api/handlers/files.handlers';
import { suggestionHandlers } from './api/handlers/suggestions.handlers';
import { fileJobHandlers } from './api/handlers/file-jobs.handlers';

export interface Studio {
  readonly context: StudioContext;
  readonly dispatch: Dispatch;
  close(): Promise<void>;
}

export interface StudioOptions {
  home: string;
  door: Door;
  /** serve only: roots its calls may name besides the home and open projects; default the user's home folder. */
  allow?: string[];
  launchWorker?: WorkerLauncher;
  /** The built-in pose model's folder when not the installed package's (tests; `serve --models`). */
  poseModelsDir?: string | null;
  /** Where an unexpected error in a handler is reported (default: its stack on stderr; the CLI shows it only with --debug). */
  onInternalError?: (channel: string, error: unknown) => void;
}

export function createStudio(options: StudioOptions): Studio {
  mkdirSync(options.home, { recursive: true });
  const closers: Array<() => void | Promise<void>> = [];
  const bus = new EventBus();
  const context: StudioContext = {
    home: options.home,
    door: options.door,
    bus,
    tasks: new TaskManager(bus),
    roots: new AllowedRoots(),
    allow: options.door === 'serve' ? (options.allow ?? [homedir()]).map((root) => resolve(root)) : null,
    launchWorker: options.launchWorker ?? forkLauncher,
    poseModelsDir: options.poseModelsDir ?? null,
    onClose: (closer) => closers.push(closer),
  };
  const handlers: Handlers = guardDoorPaths(context, {
    ...studioHandlers(context),
    ...taskHandlers(context),
    ...catalogHandlers(context),
    ...trainingHandlers(context),
    ...predictionHandlers(context),
    ...sampleHandlers(context),
    ...modelHandlers(context),
    ...fileHandlers(context),
    ...suggestionHandlers(context),
    ...fileJobHandlers(context),
  });
  const dispatch = createDispatcher(
    handlers,
    options.onInternalError ?? ((channel, error) => console.error(`[api] ${channel}:`, error)),
  );
  return {
    context,
    dispatch,
    async close() {
      for (const closer of closers.reverse()) await closer();
    },
  };
}
