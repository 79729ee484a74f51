// The only bridge between the sandboxed renderer and main: one narrow object that can call
// declared API channels and listen to declared events, nothing else. It must bundle no npm
// package (the sandbox's require knows only electron, events, timers and url): imports
// from src-shared are limited to plain constants and types.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { callChannels, eventChannels } from './channels';
import { IPC_EVENT, IPC_INVOKE } from '../src-shared/api/ipc-channels';
import { MEDIA_SCHEME, type DesktopBridge } from '../src-shared/api/transport';

const calls = new Set<string>(callChannels);
const events = new Set<string>(eventChannels);

const bridge: DesktopBridge = {
  invoke(channel, input) {
    if (!calls.has(channel))
      return Promise.resolve({
        ok: false,
        error: { kind: 'not-found', message: `unknown API call '${String(channel)}'` },
      });
    return ipcRenderer.invoke(IPC_INVOKE, channel, input);
  },
  onEvent(listener) {
    const relay = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string' && events.has(name)) listener(name, payload);
    };
    ipcRenderer.on(IPC_EVENT, relay);
    return () => ipcRenderer.off(IPC_EVENT, relay);
  },
  mediaScheme: MEDIA_SCHEME,
};

contextBridge.exposeInMainWorld('deeppose', bridge);
