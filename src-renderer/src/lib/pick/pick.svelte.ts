// The renderer's one way to choose a path. It never asks which door it is in: it asks the
// studio for a native dialog ('files.pick'), and where the door has none ('unavailable', the
// browser) it opens the studio's own folder browser (FolderBrowser.svelte, over 'files.browse').
import type { z } from 'zod';
import type { PickRequest as PickRequestSchema } from '../../../../src-shared/api/files.contract';

/** What the renderer asks for: plain strings; main brands the path when it parses the call. */
type PickRequest = z.input<typeof PickRequestSchema>;
import { api } from '../api/api';

interface OpenBrowser {
  request: PickRequest;
  resolve: (path: string | null) => void;
}

class BrowserPicker {
  /** The request the folder browser is showing, or null when it is closed. */
  open = $state.raw<OpenBrowser | null>(null);

  close(path: string | null): void {
    const open = this.open;
    this.open = null;
    open?.resolve(path);
  }
}

export const browserPicker = new BrowserPicker();

/** The path the user chose, or null if they cancelled. */
export async function pickPath(request: PickRequest): Promise<string | null> {
  const result = await api.call('files.pick', request);
  if (result.status === 'picked') return result.path;
  if (result.status === 'cancelled') return null;
  browserPicker.close(null);
  return new Promise((resolve) => (browserPicker.open = { request, resolve }));
}

/** Extensions the folder browser lists for a request: none for folders, every file without filters. */
export function listedExtensions(request: PickRequest): string[] {
  if (request.kind === 'folder') return [];
  const extensions = (request.filters ?? []).flatMap((f) => f.extensions);
  return extensions.length ? extensions : ['*'];
}
