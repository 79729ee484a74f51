// Loads the BUILT preload the way Electron's sandbox does: CommonJS in a context whose
// `require` knows only electron, events, timers and url. A preload that bundles or
// requires anything else throws there and `window.deeppose` never appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { repoRoot } from '../support/paths';
import { IPC_EVENT, IPC_INVOKE } from '../../src-shared/api/ipc-channels';
import type { DesktopBridge } from '../../src-shared/api/transport';

const SANDBOX_MODULES = new Set(['electron', 'events', 'timers', 'url']);

type Listener = (event: unknown, ...args: unknown[]) => void;

function loadPreloadInSandbox() {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, value: 'from main' });
      },
      on: (channel: string, listener: Listener) =>
        void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener),
      off: (channel: string, listener: Listener) => void listeners.get(channel)?.delete(listener),
      removeListener: (channel: string, listener: Listener) => void listeners.get(channel)?.delete(listener),
    },
  };
  const sandboxRequire = (name: string) => {
    if (!SANDBOX_MODULES.has(name))
      throw new Error(
        `module not found: ${name} (a sandboxed preload may require only ${[...SANDBOX_MODULES].join(', ')})`,
      );
    if (name === 'electron') return electron;
    return {};
  };
  const code = readFileSync(join(repoRoot, 'out', 'preload', 'index.cjs'), 'utf8');
  const module = { exports: {} };
  // Electron wraps the preload like a CommonJS module; no process, no Buffer beyond what it passes.
  runInNewContext(`(function (exports, require, module) {\n${code}\n})`, { console }, { filename: 'index.cjs' })(
    module.exports,
    sandboxRequire,
    module,
  );
  return { exposed, invoked, listeners };
}

test('the built preload loads with only the sandbox modules and exposes deeppose', () => {
  const { exposed } = loadPreloadInSandbox();
  assert.deepEqual([...exposed.keys()], ['deeppose']);
  const bridge = exposed.get('deeppose') as DesktopBridge;
  assert.equal(typeof bridge.invoke, 'function');
  assert.equal(typeof bridge.onEvent, 'function');
  assert.equal(typeof bridge.mediaScheme, 'string');
});

test('an invoke of a declared call reaches ipcRenderer.invoke with its channel and argument; an undeclared one does not', async () => {
  const { exposed, invoked } = loadPreloadInSandbox();
  const bridge = exposed.get('deeppose') as DesktopBridge;
  const input = { path: '/tmp/x' };
  assert.deepEqual(await bridge.invoke('studio.info', input), { ok: true, value: 'from main' });
  assert.deepEqual(invoked, [[IPC_INVOKE, 'studio.info', input]]);
  const refused = await bridge.invoke('fs.readEverything', {});
  assert.equal(refused.ok, false);
  assert.equal(invoked.length, 1);
});

test('events subscribe through ipcRenderer.on, pass declared events only, and unsubscribe', () => {
  const { exposed, listeners } = loadPreloadInSandbox();
  const bridge = exposed.get('deeppose') as DesktopBridge;
  const got: unknown[][] = [];
  const unsubscribe = bridge.onEvent((name, payload) => got.push([name, payload]));
  const relays = listeners.get(IPC_EVENT);
  assert.equal(relays?.size, 1);
  for (const relay of relays!) {
    relay({}, 'task.updated', { id: 't1' });
    relay({}, 'not.an.event', {});
  }
  assert.deepEqual(got, [['task.updated', { id: 't1' }]]);
  unsubscribe();
  assert.equal(listeners.get(IPC_EVENT)?.size, 0);
});
