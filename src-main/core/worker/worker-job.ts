// One job in a fresh worker: send the request, check and forward every event, and resolve with
// the event that ended it. A worker that exits without saying how, or that sends a message its
// schema refuses, counts as failed (the refusal's one line is the error; the worker is ended).
import type { z } from 'zod';
import type { HostMessage } from '../../../src-shared/training/protocol';
import { checkMessage } from './checked-message';
import { workerEntry, type WorkerChannel, type WorkerLauncher } from './worker-launcher';

type Failed = { type: 'failed'; error: string };

export interface WorkerJob<End> {
  channel: WorkerChannel;
  done: Promise<End | Failed>;
}

export function startWorkerJob<S extends z.ZodType<{ type: string }>, End extends z.output<S>>(
  launcher: WorkerLauncher,
  request: HostMessage,
  events: S,
  isEnd: (event: z.output<S>) => event is End,
  onEvent: (event: z.output<S> | Failed) => void,
  what: string,
): WorkerJob<End> {
  const channel = launcher(workerEntry());
  let end: End | Failed | null = null;
  let refused = false;
  const done = new Promise<End | Failed>((resolve) => {
    channel.onMessage((message) => {
      if (refused) return;
      const checked = checkMessage(events, message, `the ${what} worker`);
      if (!checked.ok) {
        refused = true;
        if (!end) {
          end = { type: 'failed', error: checked.error };
          onEvent(end);
        }
        channel.kill();
        return;
      }
      const event = checked.message;
      if (isEnd(event)) end ??= event;
      onEvent(event);
    });
    channel.onExit((code, signal) => {
      if (!end) {
        end = {
          type: 'failed',
          error: `the ${what} worker exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`,
        };
        onEvent(end);
      }
      resolve(end);
    });
  });
  channel.send(request);
  return { channel, done };
}
