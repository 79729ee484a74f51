// The desktop renderer is served from `app://studio/…` (a standard, secure scheme) instead of
// file://: the page has a real origin, file:// pages get no extra privileges (the packaged app
// turns GrantFileProtocolExtraPrivileges off), and only files under the renderer's build folder
// can be served. This module has no Electron import so tests can drive it directly.
import { isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
/** The URL the desktop window loads in a build (development uses electron-vite's dev server). */
export const APP_RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The file an `app://studio/…` request names inside `rendererDir`, or null when the URL is not
 * the studio's (another host, another scheme) or leaves the folder. `/` serves index.html.
 */
export function resolveAppAsset(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // A decoded NUL or backslash never names a renderer asset (and a backslash is a separator on Windows).
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '' || path === '/') path = '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

/** Whether a page or frame URL is the studio's own page (same scheme and host as rendererUrl). */
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
