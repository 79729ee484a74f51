// The host's side of a training run: starts the worker, forwards its events, and resolves
// with how the run ended (a worker that dies without saying so counts as failed).
import { WorkerEvent, type TrainRequest } from '../../../src-shared/training/protocol';
import type { WorkerLauncher } from '../worker/worker-launcher';
import { startWorkerJob } from '../worker/worker-job';

export type EndEvent = Extract<WorkerEvent, { type: 'finished' | 'stopped' | 'failed' }>;

export interface TrainingHandle {
  /** Asks the worker to finish its step, write a checkpoint and exit. */
  stop(): void;
  /** Ends the worker at once (no checkpoint). */
  kill(signal?: NodeJS.Signals): void;
  readonly pid: number | undefined;
  readonly done: Promise<EndEvent>;
}

export function startTrainingWorker(
  launcher: WorkerLauncher,
  request: Omit<TrainRequest, 'type'>,
  onEvent: (event: WorkerEvent) => void,
): TrainingHandle {
  const isEnd = (event: WorkerEvent): event is EndEvent =>
    event.type === 'finished' || event.type === 'stopped' || event.type === 'failed';
  const { channel, done } = startWorkerJob(
    launcher,
    { type: 'train', ...request },
    WorkerEvent,
    isEnd,
    onEvent,
    'training',
  );
  return {
    stop: () => channel.send({ type: 'stop' }),
    kill: (signal) => channel.kill(signal),
    get pid() {
      return channel.pid;
    },
    done,
  };
}
