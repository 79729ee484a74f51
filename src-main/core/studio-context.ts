import type { EventBus } from './events/event-bus';
import type { TaskManager } from './tasks/task-manager';
import type { AllowedRoots } from './files/allowed-roots';
import type { WorkerLauncher } from './worker/worker-launcher';

export type Door = 'desktop' | 'serve' | 'cli';

/** What every domain's handlers get: the services of one running studio. */
export interface StudioContext {
  readonly home: string;
  readonly door: Door;
  readonly bus: EventBus;
  readonly tasks: TaskManager;
  readonly roots: AllowedRoots;
  /** serve's --allow roots: with the home and open projects, the places its calls may name. Null on doors with their own authority (desktop dialog, CLI). */
  readonly allow: readonly string[] | null;
  /** How workers are started: utilityProcess on the desktop, fork elsewhere. */
  readonly launchWorker: WorkerLauncher;
  /** The built-in pose model's folder when not the installed package's (tests; `serve --models`). */
  readonly poseModelsDir?: string | null;
  /** Closers run when the studio shuts down (databases, workers). */
  onClose(closer: () => void | Promise<void>): void;
}
