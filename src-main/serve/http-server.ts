// The browser door: the built renderer, the API over a WebSocket and media files, all on
// loopback and all behind a random token (as Jupyter does). The first visit with
// `?token=` sets an HttpOnly cookie so the page's own requests carry it (the page then drops
// the token from its address). Every answer, errors included, carries the security headers;
// a Host other than this server's loopback name and port is refused, so a rebound DNS name
// cannot reach it even with a stolen cookie.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Studio } from '../core/studio';
import { StudioError } from '../../src-shared/api/define';
import { resolveMedia } from '../core/media/media-request';
import { CONTENT_SECURITY_POLICY } from '../core/security/csp';
import { newToken, presentedToken, tokenCookieName, tokenMatches } from './token';
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
  const port = () => (server.address() as AddressInfo).port;
  const cookie = () => tokenCookieName(port());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  attachWebSocketApi(wss, options.studio);

  const server = createServer((request, response) => {
    setSecurityHeaders(response);
    handle(request, response).catch((error) => {
      // The details go to the log, not to whoever sent the request.
      console.error('[serve]', error);
      if (!response.headersSent) send(response, 500, 'text/plain', 'internal error');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host, port())) {
      send(response, 403, 'text/plain', 'forbidden: unexpected Host header');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    try {
      decodeURIComponent(url.pathname);
    } catch {
      send(response, 400, 'text/plain', 'bad request: malformed URL');
      return;
    }
    const presented = presentedToken(request, url, cookie());
    if (!tokenMatches(presented, token)) {
      send(response, 403, 'text/plain', 'forbidden: this studio needs the token printed when it started');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain', 'method not allowed');
      return;
    }
    if (url.searchParams.has('token')) {
      response.setHeader('Set-Cookie', `${cookie()}=${token}; HttpOnly; SameSite=Strict; Path=/`);
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
    send(response, 200, file.type, file.body);
  }

  async function serveMedia(url: URL, response: ServerResponse): Promise<void> {
    const path = url.searchParams.get('path') ?? '';
    const variant = url.searchParams.get('variant') === 'thumb' ? 'thumb' : 'full';
    try {
      const media = await resolveMedia(options.studio.context, path, variant);
      response.writeHead(200, { 'Content-Type': media.contentType });
      createReadStream(media.path)
        .on('error', () => response.destroy())
        .pipe(response);
    } catch (error) {
      // Forbidden and missing look alike: the door is no oracle for which files exist.
      if (error instanceof StudioError && (error.kind === 'forbidden' || error.kind === 'not-found'))
        send(response, 404, 'text/plain', 'not found');
      else if (error instanceof StudioError) send(response, 400, 'text/plain', error.message);
      else throw error;
    }
  }

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    const origin = request.headers.origin;
    const sameOrigin = !origin || origin === `http://${HOST}:${port()}` || origin === `http://localhost:${port()}`;
    if (
      url.pathname !== '/api' ||
      !hostAllowed(request.headers.host, port()) ||
      !sameOrigin ||
      !tokenMatches(presentedToken(request, url, cookie()), token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
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

/** Set before anything else, so every answer (403, 404, 500 included) carries them. */
function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  response.setHeader('Cache-Control', 'no-store');
}

/** Only this server's own loopback names: a DNS-rebound name pointing here is refused. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': type });
  response.end(body);
}
