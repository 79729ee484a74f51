// The desktop door: a thin Electron shell. The studio itself (catalog, imports, exports,
// sample generation, ONNX export, thumbnails) runs in the core host, a utility process, so
// nothing heavy runs on main's event loop; main relays IPC to it, answers 'files.pick' with
// Electron's dialogs and 'files.reveal' with the file manager, serves media files the core resolves, and starts the core's workers.
import { app, BrowserWindow, ipcMain, protocol, shell } from 'electron';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT, IPC_INVOKE } from '../../src-shared/api/ipc-channels';
import { fileCalls, PickRequest } from '../../src-shared/api/files.contract';
import { describeZodError } from '../core/api/dispatch';
import { defaultHome } from '../core/studio-home';
import { connectCoreHost } from '../core/host/core-host-client';
import { workerEntry } from '../core/worker/worker-launcher';
import { hardenSessions, hardenWebContents, isAppUrl } from './security';
import { handleMediaProtocol, MEDIA_SCHEME_PRIVILEGES } from './media-protocol';
import { APP_SCHEME_PRIVILEGES, handleAppProtocol } from './app-protocol';
import { APP_RENDERER_URL } from './app-asset';
import { utilityProcessLauncher } from './utility-launcher';
import { startCoreHostProcess } from './core-host-process';
import { showNativePicker } from './native-picker';

const here = dirname(fileURLToPath(import.meta.url));
// A build serves the renderer from app://studio/ (never file://); `npm run dev` from electron-vite's server.
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? APP_RENDERER_URL;

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES, MEDIA_SCHEME_PRIVILEGES]);
hardenWebContents(rendererUrl);

app.whenReady().then(() => {
  hardenSessions();
  handleAppProtocol(join(here, '../renderer'));
  const core = connectCoreHost(startCoreHostProcess(), {
    home: defaultHome(),
    door: 'desktop',
    launchWorker: utilityProcessLauncher,
    workerEntry: workerEntry(),
  });
  handleMediaProtocol((path, variant) => core.media(path, variant));

  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, input: unknown) => {
    // Only our own page may call the API, never a frame that navigated elsewhere.
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url, rendererUrl)) {
      return { ok: false, error: { kind: 'forbidden', message: 'API calls are only accepted from the studio window' } };
    }
    if (channel === 'files.pick') {
      const request = PickRequest.safeParse(input ?? {});
      if (!request.success)
        return {
          ok: false,
          error: { kind: 'invalid-argument', message: `files.pick: ${describeZodError(request.error)}` },
        };
      return { ok: true, value: await showNativePicker(BrowserWindow.fromWebContents(event.sender), request.data) };
    }
    if (channel === 'files.reveal') {
      const request = fileCalls['files.reveal'].input.safeParse(input ?? {});
      if (!request.success || !isAbsolute(request.data.path))
        return {
          ok: false,
          error: { kind: 'invalid-argument', message: 'files.reveal: an absolute path is required' },
        };
      // The core's door admits the path first (the one path policy); only then does the shell show it.
      const admitted = await core.dispatch(channel, request.data);
      if (!admitted.ok) return admitted;
      shell.showItemInFolder(request.data.path);
      return { ok: true, value: { status: 'shown' } };
    }
    return core.dispatch(channel, input);
  });
  core.onEvent((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT, name, payload);
  });

  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'DeepPose Studio',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  void window.loadURL(rendererUrl);

  app.on('window-all-closed', () => {
    void core.close().finally(() => app.quit());
  });
});
