// The desktop door: a thin Electron shell around the same studio core as `serve` and the CLI.
import { app, BrowserWindow, ipcMain } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createStudio } from '../core/studio';
import { IPC_EVENT, IPC_INVOKE } from '../../src-shared/api/ipc-channels';
import { defaultHome } from '../core/studio-home';
import { hardenSessions, hardenWebContents, isAppUrl } from './security';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { utilityProcessLauncher } from './utility-launcher';

const here = dirname(fileURLToPath(import.meta.url));
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(here, '../renderer/index.html')).href;

registerMediaScheme();
hardenWebContents(rendererUrl);

app.whenReady().then(() => {
  hardenSessions();
  const studio = createStudio({ home: defaultHome(), door: 'desktop', launchWorker: utilityProcessLauncher });
  handleMediaProtocol(studio.context);

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown) => {
    // Only our own page may call the API, never a frame that navigated elsewhere.
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url, rendererUrl)) {
      return { ok: false, error: { kind: 'forbidden', message: 'API calls are only accepted from the studio window' } };
    }
    return studio.dispatch(channel, input);
  });
  studio.context.bus.subscribe((name, payload) => {
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
    void studio.close().finally(() => app.quit());
  });
});
