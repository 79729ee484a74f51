// Main's side of the core host: a Dispatch that forwards every call to the core host's
// process, media requests likewise, the core's events to listeners, and the workers the
// core asks for, started here (on the desktop as utility processes) and relayed both ways.
// No Electron in here: tests drive it over child_process.fork.
import type { FromCoreHost, MediaFile, ToCoreHost } from '../../../src-shared/api/core-host-protocol';
import type { Envelope } from '../../../src-shared/api/define';
import { StudioError } from '../../../src-shared/api/define';
import type { MediaVariant } from '../../../src-shared/api/transport';
import type { StudioInfo } from '../../../src-shared/api/studio.contract';
import type { Dispatch } from '../api/dispatch';
import type { WorkerChannel, WorkerEntry, WorkerLauncher } from '../worker/worker-launcher';

export interface CoreHostOptions {
  home: string;
  door: StudioInfo['door'];
  /** How the core's training/prediction workers start (utilityProcess on the desktop). */
  launchWorker: WorkerLauncher;
  workerEntry: WorkerEntry;
}

export interface CoreHostClient {
  /** Resolves once the core has created its studio. */
  readonly ready: Promise<void>;
  readonly dispatch: Dispatch;
  media(path: string, variant: MediaVariant): Promise<MediaFile>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Stops the core's studio (runs end with a checkpoint) and waits for the process to end. */
  close(): Promise<void>;
}

export function connectCoreHost(
  host: WorkerChannel<ToCoreHost, FromCoreHost>,
  options: CoreHostOptions,
): CoreHostClient {
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const workers = new Map<number, WorkerChannel>();
  let nextId = 1;
  let exited: string | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const hostEnded = new Promise<void>((resolve) =>
    host.onExit((code, signal) => {
      exited = `the studio core stopped (${signal ? `signal ${signal}` : `code ${code}`})`;
      for (const answer of pending.values()) answer({ ok: false, error: { kind: 'internal', message: exited } });
      pending.clear();
      for (const worker of workers.values()) worker.kill();
      markReady();
      resolve();
    }),
  );

  host.onMessage((message) => {
    switch (message.type) {
      case 'ready':
        return markReady();
      case 'reply':
        pending.get(message.id)?.(message.envelope);
        pending.delete(message.id);
        return;
      case 'event':
        for (const listener of listeners) listener(message.name, message.payload);
        return;
      case 'worker.spawn': {
        const { workerId } = message;
        const worker = options.launchWorker(options.workerEntry);
        workers.set(workerId, worker);
        worker.onMessage((payload) => host.send({ type: 'worker.message', workerId, message: payload }));
        worker.onExit((code, signal) => {
          workers.delete(workerId);
          host.send({ type: 'worker.exit', workerId, code, signal });
        });
        host.send({ type: 'worker.started', workerId, pid: worker.pid });
        return;
      }
      case 'worker.send':
        return workers.get(message.workerId)?.send(message.message);
      case 'worker.kill':
        return workers.get(message.workerId)?.kill(message.signal as NodeJS.Signals | undefined);
      case 'closed':
        return;
    }
  });
  host.send({ type: 'init', home: options.home, door: options.door });

  function request(
    message:
      { type: 'call'; channel: unknown; input: unknown } | { type: 'media'; path: string; variant: MediaVariant },
  ): Promise<Envelope<unknown>> {
    if (exited) return Promise.resolve({ ok: false, error: { kind: 'internal', message: exited } });
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      host.send({ ...message, id });
    });
  }

  return {
    ready,
    dispatch: (channel, input) => request({ type: 'call', channel, input }),
    async media(path, variant) {
      const envelope = await request({ type: 'media', path, variant });
      if (!envelope.ok) throw new StudioError(envelope.error.kind, envelope.error.message);
      return envelope.value as MediaFile;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (!exited) host.send({ type: 'close' });
      await hostEnded;
    },
  };
}
