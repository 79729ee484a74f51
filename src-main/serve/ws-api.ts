// The API over a WebSocket: `{id, channel, input}` in, `{id, envelope}` out, and every
// event pushed as `{event, payload}`. The same dispatcher as Electron IPC.
import type { WebSocket, WebSocketServer } from 'ws';
import type { Studio } from '../core/studio';

export function attachWebSocketApi(wss: WebSocketServer, studio: Studio): void {
  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = studio.context.bus.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    });
    ws.on('close', unsubscribe);
    ws.on('message', async (data) => {
      let request: { id?: unknown; channel?: unknown; input?: unknown };
      try {
        request = JSON.parse(String(data));
      } catch {
        ws.send(
          JSON.stringify({
            id: null,
            envelope: { ok: false, error: { kind: 'invalid-argument', message: 'request is not JSON' } },
          }),
        );
        return;
      }
      const envelope = await studio.dispatch(request.channel, request.input);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id ?? null, envelope }));
    });
  });
}
