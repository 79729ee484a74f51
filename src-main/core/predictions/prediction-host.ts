// The host's side of a prediction job: starts the worker, forwards its events, and resolves
// with how the job ended (a worker that dies without saying so counts as failed).
import type { PredictionEvent, PredictRequest } from '../../../src-shared/training/protocol';
import { workerEntry, type WorkerLauncher } from '../worker/worker-launcher';

export type PredictionEnd = Extract<PredictionEvent, { type: 'predict-finished' | 'failed' }>;

export interface PredictionHandle {
  /** Asks the worker to finish the current image and report how far it got. */
  stop(): void;
  readonly done: Promise<PredictionEnd>;
}

export function startPredictionWorker(launcher: WorkerLauncher, request: Omit<PredictRequest, 'type'>, onEvent: (event: PredictionEvent) => void): PredictionHandle {
  const channel = launcher(workerEntry());
  let end: PredictionEnd | null = null;
  const done = new Promise<PredictionEnd>((resolve) => {
    channel.onMessage((message) => {
      const event = message as PredictionEvent;
      if (event.type === 'predict-finished' || event.type === 'failed') end ??= event;
      onEvent(event);
    });
    channel.onExit((code, signal) => {
      if (!end) {
        end = { type: 'failed', error: `the prediction worker exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})` };
        onEvent(end);
      }
      resolve(end);
    });
  });
  channel.send({ type: 'predict', ...request } satisfies PredictRequest);
  return { stop: () => channel.send({ type: 'stop' }), done };
}
