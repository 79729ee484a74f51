// Workers of a core host that cannot start processes itself (an Electron utility process
// cannot call utilityProcess.fork, and child_process.fork needs RunAsNode, which the fuses
// turn off): it asks its parent to start them and talks to them through the parent.
import type { FromCoreHost } from '../../../src-shared/api/core-host-protocol';
import type { WorkerChannel, WorkerLauncher } from '../worker/worker-launcher';

interface Relayed {
  pid: number | undefined;
  onMessage: Array<(message: unknown) => void>;
  onExit: Array<(code: number | null, signal: string | null) => void>;
}

export interface RelayedLauncher {
  launcher: WorkerLauncher;
  started(workerId: number, pid: number | undefined): void;
  message(workerId: number, message: unknown): void;
  exited(workerId: number, code: number | null, signal: string | null): void;
}

export function relayedLauncher(send: (message: FromCoreHost) => void): RelayedLauncher {
  const workers = new Map<number, Relayed>();
  let nextId = 1;
  return {
    launcher: () => {
      const workerId = nextId++;
      const worker: Relayed = { pid: undefined, onMessage: [], onExit: [] };
      workers.set(workerId, worker);
      send({ type: 'worker.spawn', workerId });
      const channel: WorkerChannel = {
        get pid() {
          return worker.pid;
        },
        send: (message) => send({ type: 'worker.send', workerId, message }),
        onMessage: (listener) => void worker.onMessage.push(listener),
        onExit: (listener) => void worker.onExit.push(listener),
        kill: (signal) => send({ type: 'worker.kill', workerId, signal }),
      };
      return channel;
    },
    started: (workerId, pid) => {
      const worker = workers.get(workerId);
      if (worker) worker.pid = pid;
    },
    message: (workerId, message) => {
      for (const listener of workers.get(workerId)?.onMessage ?? []) listener(message);
    },
    exited: (workerId, code, signal) => {
      const worker = workers.get(workerId);
      workers.delete(workerId);
      for (const listener of worker?.onExit ?? []) listener(code, signal);
    },
  };
}
