// Shared by both doors' media routes: resolve a requested file inside the allowed roots and
// pick the bytes to send (the original, or its cached thumbnail).
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { MediaVariant } from '../../../src-shared/api/transport';
import type { MediaFile } from '../../../src-shared/api/core-host-protocol';
import type { StudioContext } from '../studio-context';
import { StudioError } from '../../../src-shared/api/define';
import { thumbnailFor } from './thumbnails';

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
};

export type { MediaFile };

export async function resolveMedia(
  ctx: StudioContext,
  requestedPath: string,
  variant: MediaVariant,
): Promise<MediaFile> {
  // Outside the roots, "missing" and "forbidden" look the same: the door is no oracle for what exists.
  const real = await ctx.roots.resolveFile(requestedPath).catch(() => {
    throw new StudioError('not-found', 'not found');
  });
  // A FIFO or device inside a project would hang or never end the response.
  if (!(await stat(real)).isFile()) throw new StudioError('not-found', 'not found');
  if (variant === 'thumb')
    return { path: await thumbnailFor(real, join(ctx.home, 'thumbnails')), contentType: 'image/jpeg' };
  return { path: real, contentType: CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream' };
}
