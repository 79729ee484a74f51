// The browser door: the built renderer, the API over a WebSocket and media files, all on
// loopback and all behind a random token (as Jupyter does). The first visit with
// `?token=` sets an HttpOnly cookie so the page's own requests carry it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Studio } from '../core/studio';
import { StudioError } from '../../src-shared/api/define';
import { resolveMedia } from '../core/media/media-request';
import { CONTENT_SECURITY_POLICY } from '../core/security/csp';
import { newToken, presentedToken, TOKEN_COOKIE, tokenMatches } from './token';
import { readStatic } from './static-files';
import { attachWebSocketApi } from './ws-api';

export interface ServeOptions {
  studio: Studio;
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  attachWebSocketApi(wss, options.studio);

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) send(response, 500, 'text/plain', `internal error: ${(error as Error).message}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    const presented = presentedToken(request, url);
    if (!tokenMatches(presented, token)) {
      send(response, 403, 'text/plain', 'forbidden: this studio needs the token printed when it started');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain', 'method not allowed');
      return;
    }
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    if (url.searchParams.has('token')) {
      response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (url.pathname === '/media') {
      await serveMedia(url, response);
      return;
    }
    const file = await readStatic(options.rendererDir, url.pathname);
    if (!file) {
      send(response, 404, 'text/plain', 'not found');
      return;
    }
    if (file.type.startsWith('text/html')) response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    send(response, 200, file.type, file.body);
  }

  async function serveMedia(url: URL, response: ServerResponse): Promise<void> {
    const path = url.searchParams.get('path') ?? '';
    const variant = url.searchParams.get('variant') === 'thumb' ? 'thumb' : 'full';
    try {
      const media = await resolveMedia(options.studio.context, path, variant);
      response.writeHead(200, { 'Content-Type': media.contentType });
      createReadStream(media.path).pipe(response);
    } catch (error) {
      const status = error instanceof StudioError ? (error.kind === 'forbidden' ? 403 : error.kind === 'not-found' ? 404 : 400) : 500;
      send(response, status, 'text/plain', (error as Error).message);
    }
  }

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    const sameOrigin = !request.headers.origin || request.headers.origin === `http://${HOST}:${port()}`;
    if (url.pathname !== '/api' || !sameOrigin || !tokenMatches(presentedToken(request, url), token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = () => (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port()}/?token=${token}`,
    port: port(),
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': type });
  response.end(body);
}
