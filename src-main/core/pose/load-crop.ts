// Decodes an image with sharp and returns the square around an example scaled to `base`
// pixels; parts of the square outside the image are black (the reference's padding).
import sharp from 'sharp';
import { StudioError } from '../../../src-shared/api/define';
import type { Square } from './crop-geometry';

export interface DecodedImage {
  rgb: Buffer;
  width: number;
  height: number;
}

export async function decodeImage(path: string): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(path).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { rgb: data, width: info.width, height: info.height };
  } catch (error) {
    throw new StudioError('bad-input', `cannot read image ${path}: ${(error as Error).message}`);
  }
}

export async function cropToBase(image: DecodedImage, square: Square, base: number): Promise<Uint8Array> {
  const scale = base / square.side;
  // The square has whole-pixel corners (cropSquare), so these are exact.
  const left = Math.max(0, square.x0);
  const top = Math.max(0, square.y0);
  const right = Math.min(image.width, square.x0 + square.side);
  const bottom = Math.min(image.height, square.y0 + square.side);
  const out = new Uint8Array(base * base * 3);
  if (right <= left || bottom <= top) return out;
  // Where the visible part lands in the base square.
  const dx = Math.round((left - square.x0) * scale);
  const dy = Math.round((top - square.y0) * scale);
  const w = Math.min(base - dx, Math.max(1, Math.round((right - left) * scale)));
  const h = Math.min(base - dy, Math.max(1, Math.round((bottom - top) * scale)));
  if (w <= 0 || h <= 0) return out;
  const part = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  for (let y = 0; y < h; y++) out.set(part.subarray(y * w * 3, (y + 1) * w * 3), ((dy + y) * base + dx) * 3);
  return out;
}
