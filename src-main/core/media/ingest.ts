// Reads what the catalog needs to know about an image file (content hash, displayed size)
// without trusting the file: it must pass the studio's one admission rule (media/image-admission.ts:
// size, format by content, megapixels, decoded bytes) before anything is decoded; then a small
// decode proves the pixel data is complete.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { StudioError } from '../../../src-shared/api/define';
import { admitImage, firstLine, MAX_IMAGE_PIXELS } from './image-admission';

export { MAX_IMAGE_PIXELS };

export interface ProbedImage {
  /** Real absolute path. */
  path: string;
  sha256: string;
  /** Size as displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
  format: string;
}

export async function probeImage(file: string, maxPixels = MAX_IMAGE_PIXELS): Promise<ProbedImage> {
  const { path, bytes, meta } = await admitImage(file, maxPixels);
  const width = meta.width!;
  const height = meta.height!;
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true })
      .resize(16, 16, { fit: 'fill' })
      .raw()
      .toBuffer();
  } catch (error) {
    throw new StudioError('bad-input', `${file}: damaged image data (${firstLine(error)})`);
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width: rotated ? height : width,
    height: rotated ? width : height,
    format: meta.format ?? 'unknown',
  };
}

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.bmp', '.avif']);
