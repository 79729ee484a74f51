// 'files.pick' on the desktop: Electron's own dialogs, attached to the window that asked.
// Main answers this call itself; the core (in its utility process) has no windows.
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { PickRequest, PickResult } from '../../src-shared/api/files.contract';

/** Where the dialog opens: the start folder, a file's folder, or the nearest existing parent. */
function startFolder(start: string | undefined): string | undefined {
  for (let at = start; at && isAbsolute(at); at = dirname(at)) {
    if (existsSync(at)) return statSync(at).isDirectory() ? at : dirname(at);
    if (dirname(at) === at) break;
  }
  return undefined;
}

export async function showNativePicker(window: BrowserWindow | null, request: PickRequest): Promise<PickResult> {
  const folder = startFolder(request.start);
  const filters = request.filters?.length ? [...request.filters, { name: 'All files', extensions: ['*'] }] : undefined;
  if (request.kind === 'save') {
    const defaultPath =
      folder && request.defaultName ? join(folder, request.defaultName) : (folder ?? request.defaultName);
    // The studio asks before replacing a file itself (the 'overwrite' flag), so the dialog does not.
    const options: SaveDialogOptions = { title: request.title, defaultPath, filters, properties: ['createDirectory'] };
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? { status: 'cancelled' } : { status: 'picked', path: result.filePath };
  }
  const options: OpenDialogOptions = {
    title: request.title,
    defaultPath: folder,
    filters: request.kind === 'file' ? filters : undefined,
    properties: request.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled || !result.filePaths[0]
    ? { status: 'cancelled' }
    : { status: 'picked', path: result.filePaths[0] };
}
