import type { Envelope } from './define';

/** What a door provides to the renderer: Electron IPC through the preload, or a WebSocket. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** URL under which the door serves a file from an allowed folder. */
  mediaUrl(absolutePath: string, variant: MediaVariant): string;
  /**
   * Connection changes of a door that can drop (the WebSocket): 'lost', then 'restored' once
   * calls go through again. Events sent in between are gone: listeners re-read what they show.
   */
  onConnection?(listener: (state: ConnectionState) => void): () => void;
}

export type ConnectionState = 'lost' | 'restored';

export type MediaVariant = 'full' | 'thumb';

/** The narrow object the preload puts on `window`. */
export interface DesktopBridge {
  invoke(channel: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  mediaScheme: string;
}

export const MEDIA_SCHEME = 'deeppose-media';
