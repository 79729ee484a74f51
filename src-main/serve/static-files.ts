import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** A file of the built renderer, or null; never anything outside `root`. */
export async function readStatic(root: string, pathname: string): Promise<{ body: Buffer; type: string } | null> {
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  if (relative.startsWith('..') || relative.includes(`${sep}..${sep}`) || relative.includes('\0')) return null;
  try {
    const body = await readFile(join(root, relative));
    return { body, type: TYPES[extname(relative)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
