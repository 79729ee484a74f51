import type { Envelope } from '../../../../src-shared/api/define';
import type { ConnectionState, Transport } from '../../../../src-shared/api/transport';

type Pending = { resolve: (envelope: Envelope<unknown>) => void };

/**
 * The browser door: one WebSocket to the serve process (its cookie carries the token).
 * Reconnects after a drop; calls made meanwhile wait for the socket, and connection
 * listeners hear 'lost' and then 'restored' so views can re-read what they missed.
 */
export function webSocketTransport(location: Location): Transport {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const pending = new Map<number, Pending>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let nextId = 1;
  let dropped = false;
  let socket: Promise<WebSocket> = connect();

  function connect(): Promise<WebSocket> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`);
      ws.onopen = () => {
        resolve(ws);
        if (dropped) {
          dropped = false;
          for (const listener of connectionListeners) listener('restored');
        }
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data));
        if ('event' in data) {
          for (const listener of listeners) listener(data.event, data.payload);
          return;
        }
        pending.get(data.id)?.resolve(data.envelope);
        pending.delete(data.id);
      };
      ws.onclose = () => {
        for (const call of pending.values())
          call.resolve({ ok: false, error: { kind: 'internal', message: 'connection to the studio was lost' } });
        pending.clear();
        if (!dropped) {
          dropped = true;
          for (const listener of connectionListeners) listener('lost');
        }
        socket = new Promise((later) => setTimeout(() => connect().then(later), 500));
      };
    });
  }

  return {
    async invoke(channel, input) {
      const ws = await socket;
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve });
        ws.send(JSON.stringify({ id, channel, input }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaUrl: (path, variant) => `/media?path=${encodeURIComponent(path)}&variant=${variant}`,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
