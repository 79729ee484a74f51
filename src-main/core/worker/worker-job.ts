// One job in a fresh worker: send the request, forward every event, and resolve with the
// event that ended it. A worker that exits without saying how counts as failed.
import type { HostMessage } from '../../../src-shared/training/protocol';
import { workerEntry, type WorkerChannel, type WorkerLauncher } from './worker-launcher';

type Failed = { type: 'failed'; error: string };

export interface WorkerJob<End> {
  channel: WorkerChannel;
  done: Promise<End | Failed>;
}

export function startWorkerJob<Event extends { type: string }, End extends Event>(
  launcher: WorkerLauncher,
  request: HostMessage,
  isEnd: (event: Event) => event is End,
  onEvent: (event: Event | Failed) => void,
  what: string,
): WorkerJob<End> {
  const channel = launcher(workerEntry());
  let end: End | Failed | null = null;
  const done = new Promise<End | Failed>((resolve) => {
    channel.onMessage((message) => {
      const event = message as Event;
      if (isEnd(event)) end ??= event;
      onEvent(event);
    });
    channel.onExit((code, signal) => {
      if (!end) {
        end = { type: 'failed', error: `the ${what} worker exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})` };
        onEvent(end);
      }
      resolve(end);
    });
  });
  channel.send(request);
  return { channel, done };
}
