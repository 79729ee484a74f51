// The one rule for whether the studio decodes an image file at all, shared by import,
// prediction, thumbnails (and suggestions): a regular file within the size limit, whose first
// bytes are the format its name claims (no SVG or page under an image name, a PNG's chunks
// intact), whose header states a size within the megapixel limit and whose decoded pixels
// (width × height × channels × bytes per sample) fit the memory limit. Judged from the file and
// its header only: nothing is decoded before it is admitted.
import { realpath } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { StudioError } from '../../../src-shared/api/define';
import { MAX_IMAGE_FILE_BYTES, readRegularFile } from '../files/read-regular-file';
import { imageKindProblem, rasterFormatOf } from './image-kind';
import { pngChunkProblem } from './png-chunks';

/** Far below sharp's default (~268 MP): a photo of people never needs more. */
export const MAX_IMAGE_PIXELS = 100_000_000;
/** The decoded size of the largest admitted 8-bit RGBA image: a 16-bit or float image of as many pixels takes 2-4 times this and is refused. */
export const MAX_DECODED_BYTES = MAX_IMAGE_PIXELS * 4;

const SAMPLE_BYTES: Record<string, number> = {
  uchar: 1,
  char: 1,
  ushort: 2,
  short: 2,
  uint: 4,
  int: 4,
  float: 4,
  complex: 8,
  double: 8,
  dpcomplex: 16,
};

export interface AdmittedImage {
  /** Real absolute path. */
  path: string;
  bytes: Buffer;
  meta: Metadata;
}

/** The file's bytes and header when the studio may decode it; a 'bad-input' error naming the file and the problem otherwise. */
export async function admitImage(file: string, maxPixels = MAX_IMAGE_PIXELS): Promise<AdmittedImage> {
  let path: string;
  try {
    path = await realpath(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StudioError(
      'bad-input',
      `${file}: ${code === 'ENOENT' ? 'image file not found' : code === 'ENAMETOOLONG' ? 'the path is too long' : `cannot read the image (${code ?? 'error'})`}`,
    );
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
    throw new StudioError('bad-input', `${file}: not a readable image (${firstLine(error)})`);
  }
  if (!meta.width || !meta.height) throw new StudioError('bad-input', `${file}: the image header gives no size`);
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    throw new StudioError(
      'bad-input',
      `${file}: claims ${meta.width}×${meta.height} pixels (${Math.round(pixels / 1e6)} megapixels), above the limit of ${Math.round(maxPixels / 1e6)} megapixels; refused without decoding`,
    );
  }
  const sampleBytes = SAMPLE_BYTES[meta.depth ?? 'uchar'] ?? 1;
  const decoded = pixels * (meta.channels ?? 3) * sampleBytes;
  if (decoded > MAX_DECODED_BYTES) {
    throw new StudioError(
      'bad-input',
      `${file}: ${meta.width}×${meta.height} with ${meta.channels} channels of ${sampleBytes * 8} bits would take ${Math.round(decoded / 2 ** 20)} MB decoded, above the limit of ${Math.round(MAX_DECODED_BYTES / 2 ** 20)} MB; refused without decoding`,
    );
  }
  return { path, bytes, meta };
}

/** The reason `file` is not admitted, or null. */
export async function imageAdmissionProblem(file: string): Promise<string | null> {
  try {
    await admitImage(file);
    return null;
  } catch (error) {
    return (error as Error).message.startsWith(`${file}: `)
      ? (error as Error).message.slice(file.length + 2)
      : (error as Error).message;
  }
}

/** libvips' messages run to several lines; the first says what went wrong. */
export function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')[0]
    .trim();
}
