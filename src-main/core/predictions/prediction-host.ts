// The host's side of a prediction job: starts the worker, forwards its events, and resolves
// with how the job ended (a worker that dies without saying so counts as failed).
import { PredictionEvent, type PredictRequest } from '../../../src-shared/training/protocol';
import type { WorkerLauncher } from '../worker/worker-launcher';
import { startWorkerJob } from '../worker/worker-job';

export type PredictionEnd = Extract<PredictionEvent, { type: 'predict-finished' | 'failed' }>;

export interface PredictionHandle {
  /** Asks the worker to finish the current image and report how far it got. */
  stop(): void;
  readonly done: Promise<PredictionEnd>;
}

export function startPredictionWorker(
  launcher: WorkerLauncher,
  request: Omit<PredictRequest, 'type'>,
  onEvent: (event: PredictionEvent) => void,
): PredictionHandle {
  const isEnd = (event: PredictionEvent): event is PredictionEnd =>
    event.type === 'predict-finished' || event.type === 'failed';
  const { channel, done } = startWorkerJob(
    launcher,
    { type: 'predict', ...request },
    PredictionEvent,
    isEnd,
    onEvent,
    'prediction',
  );
  return { stop: () => channel.send({ type: 'stop' }), done };
}
