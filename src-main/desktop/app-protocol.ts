// Serves the built renderer under app://studio/ (see app-asset.ts for why not file://).
import { net, protocol, type CustomScheme } from 'electron';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../core/security/csp';
import { APP_SCHEME, resolveAppAsset } from './app-asset';

/** Privileges for app://: a standard, secure origin the page's module scripts and fetches work in. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('method not allowed', { status: 405 });
    const file = resolveAppAsset(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404 });
    // net.fetch of a file: URL reads inside app.asar too, and sets the content type.
    const response = await net.fetch(pathToFileURL(file).href);
    if (!response.ok) return new Response('not found', { status: 404 });
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: 200, headers });
  });
}
