// The host's side of a suggest job: a worker of its own (never the UI thread or the core
// host), its events forwarded, resolving with how it ended.
import { SuggestEvent, type SuggestRequest } from '../../../src-shared/training/suggest-protocol';
import type { WorkerLauncher } from '../worker/worker-launcher';
import { startWorkerJob } from '../worker/worker-job';

export type SuggestEnd = Extract<SuggestEvent, { type: 'suggest-finished' | 'failed' }>;

export interface SuggestHandle {
  /** Asks the worker to finish the current image and stop. */
  stop(): void;
  /** Ends the worker now (what it already reported stays reported). */
  kill(): void;
  readonly done: Promise<SuggestEnd>;
}

export function startSuggestWorker(
  launcher: WorkerLauncher,
  request: Omit<SuggestRequest, 'type'>,
  onEvent: (event: SuggestEvent) => void,
): SuggestHandle {
  const isEnd = (event: SuggestEvent): event is SuggestEnd =>
    event.type === 'suggest-finished' || event.type === 'failed';
  const { channel, done } = startWorkerJob(
    launcher,
    { type: 'suggest', ...request },
    SuggestEvent,
    isEnd,
    onEvent,
    'suggest',
  );
  return { stop: () => channel.send({ type: 'stop' }), kill: () => channel.kill(), done };
}
