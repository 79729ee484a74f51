// Electron's security checklist, applied once for every window and session.
import { app, session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../core/security/csp';

export function isAppUrl(url: string, rendererUrl: string): boolean {
  try {
    const target = new URL(url);
    const own = new URL(rendererUrl);
    if (target.protocol !== own.protocol) return false;
    // file: pages have no host: only the studio's own page counts.
    return own.protocol === 'file:' ? target.pathname === own.pathname : target.host === own.host;
  } catch {
    return false;
  }
}

export function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function hardenWebContents(rendererUrl: string): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
