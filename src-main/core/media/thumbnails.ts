// Cached JPEG thumbnails (long side 256, EXIF orientation applied), keyed by the image's real
// path, size and modification time so an edited file gets a new thumbnail.
import { createHash } from 'node:crypto';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { StudioError } from '../../../src-shared/api/define';
import { writeFileAtomic } from '../files/durable-write';
import { admitImage, firstLine, MAX_IMAGE_PIXELS } from './image-admission';

export const THUMBNAIL_SIZE = 256;

export async function thumbnailFor(imagePath: string, cacheDir: string): Promise<string> {
  const real = await realpath(imagePath);
  const info = await stat(real);
  const key = createHash('sha256').update(`${real}\0${info.size}\0${info.mtimeMs}\0${THUMBNAIL_SIZE}`).digest('hex');
  const target = join(cacheDir, key.slice(0, 2), `${key}.jpg`);
  try {
    await stat(target);
    return target;
  } catch {
    // not cached yet
  }
  let jpeg: Buffer;
  try {
    // Admitted by the same rule as import and prediction before anything is decoded.
    const { bytes } = await admitImage(real);
    jpeg = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer();
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new StudioError('bad-input', `${imagePath}: cannot make a thumbnail (${firstLine(error)})`);
  }
  await mkdir(join(cacheDir, key.slice(0, 2)), { recursive: true });
  await writeFileAtomic(target, jpeg);
  return target;
}
