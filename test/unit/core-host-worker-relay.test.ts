// The core host cannot start processes on the desktop: it asks main, which starts the worker
// and relays both ways. Both halves, joined by in-memory channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FromCoreHost, ToCoreHost } from '../../src-shared/api/core-host-protocol';
import { relayedLauncher } from '../../src-main/core/host/relayed-launcher';
import { connectCoreHost } from '../../src-main/core/host/core-host-client';
import type { WorkerChannel } from '../../src-main/core/worker/worker-launcher';

test("a worker started by the core runs in main's launcher; messages, kill and exit cross both ways", async () => {
  const toHost: Array<(m: ToCoreHost) => void> = [];
  const toMain: Array<(m: FromCoreHost) => void> = [];
  const relay = relayedLauncher((message) => toMain.forEach((l) => l(message)));
  const hostChannel: WorkerChannel<ToCoreHost, FromCoreHost> = {
    pid: 1,
    send: (message) => {
      if (message.type === 'worker.started') relay.started(message.workerId, message.pid);
      if (message.type === 'worker.message') relay.message(message.workerId, message.message);
      if (message.type === 'worker.exit') relay.exited(message.workerId, message.code, message.signal);
      toHost.forEach((l) => l(message));
    },
    onMessage: (listener) => void toMain.push(listener),
    onExit: () => {},
    kill: () => {},
  };
  const fromWorker: Array<(m: unknown) => void> = [];
  const exits: Array<(code: number | null, signal: string | null) => void> = [];
  const workerGot: unknown[] = [];
  let killed = '';
  connectCoreHost(hostChannel, {
    home: '/nowhere',
    door: 'desktop',
    workerEntry: { path: 'worker.js', execArgv: [] },
    launchWorker: () => ({
      pid: 4242,
      send: (message) => void workerGot.push(message),
      onMessage: (listener) => void fromWorker.push(listener),
      onExit: (listener) => void exits.push(listener),
      kill: (signal) => void (killed = signal ?? 'SIGTERM'),
    }),
  });

  const channel = relay.launcher({ path: 'ignored', execArgv: [] });
  assert.equal(channel.pid, 4242);
  const heard: unknown[] = [];
  let ended: [number | null, string | null] | null = null;
  channel.onMessage((m) => heard.push(m));
  channel.onExit((code, signal) => (ended = [code, signal]));
  channel.send({ type: 'train' });
  assert.deepEqual(workerGot, [{ type: 'train' }]);
  fromWorker.forEach((l) => l({ type: 'progress', epoch: 1 }));
  assert.deepEqual(heard, [{ type: 'progress', epoch: 1 }]);
  channel.kill('SIGKILL');
  assert.equal(killed, 'SIGKILL');
  exits.forEach((l) => l(0, null));
  assert.deepEqual(ended, [0, null]);
});
