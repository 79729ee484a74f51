// The host's side of a training run: starts the worker, forwards its events, and resolves
// with how the run ended (a worker that dies without saying so counts as failed).
import type { TrainRequest, WorkerEvent } from '../../../src-shared/training/protocol';
import { workerEntry, type WorkerLauncher } from '../worker/worker-launcher';

export type EndEvent = Extract<WorkerEvent, { type: 'finished' | 'stopped' | 'failed' }>;

export interface TrainingHandle {
  /** Asks the worker to finish its step, write a checkpoint and exit. */
  stop(): void;
  /** Ends the worker at once (no checkpoint). */
  kill(signal?: NodeJS.Signals): void;
  readonly pid: number | undefined;
  readonly done: Promise<EndEvent>;
}

export function startTrainingWorker(launcher: WorkerLauncher, request: Omit<TrainRequest, 'type'>, onEvent: (event: WorkerEvent) => void): TrainingHandle {
  const channel = launcher(workerEntry());
  let end: EndEvent | null = null;
  const done = new Promise<EndEvent>((resolve) => {
    channel.onMessage((message) => {
      const event = message as WorkerEvent;
      if (event.type === 'finished' || event.type === 'stopped' || event.type === 'failed') end ??= event;
      onEvent(event);
    });
    channel.onExit((code, signal) => {
      if (!end) {
        end = { type: 'failed', error: `the training worker exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})` };
        onEvent(end);
      }
      resolve(end);
    });
  });
  channel.send({ type: 'train', ...request } satisfies TrainRequest);
  return {
    stop: () => channel.send({ type: 'stop' }),
    kill: (signal) => channel.kill(signal),
    get pid() {
      return channel.pid;
    },
    done,
  };
}
