// Reads what the catalog needs to know about an image file (content hash, displayed size)
// without trusting the file: the header is read first and a file that claims more pixels
// than MAX_IMAGE_PIXELS is refused before any decoding; then a small decode proves the
// pixel data is complete. Before either, the first bytes must be the format the name claims
// (no SVG or page under an image name) and a PNG's chunks must pass their CRCs.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { StudioError } from '../../../src-shared/api/define';
import { MAX_IMAGE_FILE_BYTES, readRegularFile } from '../files/read-regular-file';
import { imageKindProblem, rasterFormatOf } from './image-kind';
import { pngChunkProblem } from './png-chunks';

/** Far below sharp's default (~268 MP): a photo of people never needs more. */
export const MAX_IMAGE_PIXELS = 100_000_000;

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
  let path: string;
  try {
    path = await realpath(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StudioError('bad-input', `${file}: ${code === 'ENOENT' ? 'image file not found' : `cannot read the image (${code ?? 'error'})`}`);
  }
  const bytes = await readRegularFile(path, MAX_IMAGE_FILE_BYTES, 'image file').catch((error: Error) => {
    throw new StudioError('bad-input', error.message.replace(path, file));
  });
  if (bytes.length === 0) throw new StudioError('bad-input', `${file}: empty file, not an image`);
  // Judged by content before any decoder sees it: the name may lie, and libvips forgives bad CRCs.
  const problem = imageKindProblem(file, bytes) ?? (rasterFormatOf(bytes) === 'png' ? pngChunkProblem(bytes) : null);
  if (problem) throw new StudioError('bad-input', `${file}: ${problem}`);
  let meta: Metadata;
  try {
    // limitInputPixels off only for the header read, so the claimed size can be reported.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new StudioError('bad-input', `${file}: not a readable image (${(error as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new StudioError('bad-input', `${file}: the image header gives no size`);
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    throw new StudioError(
      'bad-input',
      `${file}: claims ${meta.width}×${meta.height} pixels (${Math.round(pixels / 1e6)} megapixels), above the limit of ${Math.round(maxPixels / 1e6)} megapixels; refused without decoding`,
    );
  }
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true }).resize(16, 16, { fit: 'fill' }).raw().toBuffer();
  } catch (error) {
    throw new StudioError('bad-input', `${file}: damaged image data (${(error as Error).message})`);
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width: rotated ? meta.height : meta.width,
    height: rotated ? meta.width : meta.height,
    format: meta.format ?? 'unknown',
  };
}

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.bmp', '.avif']);
