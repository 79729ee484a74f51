// Messages between the desktop's main process (a thin shell) and the core host: the utility
// process that runs the whole studio (catalog, services, dispatcher). The core cannot start
// Electron utility processes itself, so it asks main to start its training/prediction
// workers and main relays their messages.
import type { Envelope } from './define';
import type { MediaVariant } from './transport';
import type { StudioInfo } from './studio.contract';

/** A file a door may send for a media request (the original or its thumbnail). */
export interface MediaFile {
  path: string;
  contentType: string;
}

export type ToCoreHost =
  | { type: 'init'; home: string; door: StudioInfo['door'] }
  | { type: 'call'; id: number; channel: unknown; input: unknown }
  | { type: 'media'; id: number; path: string; variant: MediaVariant }
  | { type: 'worker.started'; workerId: number; pid: number | undefined }
  | { type: 'worker.message'; workerId: number; message: unknown }
  | { type: 'worker.exit'; workerId: number; code: number | null; signal: string | null }
  | { type: 'close' };

export type FromCoreHost =
  | { type: 'ready' }
  | { type: 'reply'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; name: string; payload: unknown }
  | { type: 'worker.spawn'; workerId: number }
  | { type: 'worker.send'; workerId: number; message: unknown }
  | { type: 'worker.kill'; workerId: number; signal: string | undefined }
  | { type: 'closed' };
