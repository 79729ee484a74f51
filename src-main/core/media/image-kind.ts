// What an image file really is, judged by its first bytes rather than its name: an SVG (which
// libvips would render, fetching what it links) or a web page named photo.png is refused, as
// is a file whose content is another format than its extension claims.
import { extname } from 'node:path';

interface Kind {
  /** As said in a message: "not a PNG: it is a JPEG image". */
  name: string;
  description: string;
}

const RASTER: Record<string, Kind> = {
  png: { name: 'PNG', description: 'a PNG image' },
  jpeg: { name: 'JPEG', description: 'a JPEG image' },
  gif: { name: 'GIF', description: 'a GIF image' },
  webp: { name: 'WebP', description: 'a WebP image' },
  tiff: { name: 'TIFF', description: 'a TIFF image' },
  bmp: { name: 'BMP', description: 'a BMP image' },
  avif: { name: 'AVIF', description: 'an AVIF image' },
};

const CLAIMED: Record<string, string> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.gif': 'gif',
  '.webp': 'webp',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.bmp': 'bmp',
  '.avif': 'avif',
};

const startsWith = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

/** The raster format the bytes hold, or null. */
export function rasterFormatOf(bytes: Uint8Array): string | null {
  if (startsWith(bytes, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (startsWith(bytes, 0, 'GIF87a') || startsWith(bytes, 0, 'GIF89a')) return 'gif';
  if (startsWith(bytes, 0, 'RIFF') && startsWith(bytes, 8, 'WEBP')) return 'webp';
  if (startsWith(bytes, 0, 'II*\0') || startsWith(bytes, 0, 'MM\0*')) return 'tiff';
  if (startsWith(bytes, 0, 'BM')) return 'bmp';
  if (startsWith(bytes, 4, 'ftypavif') || startsWith(bytes, 4, 'ftypavis')) return 'avif';
  return null;
}

/** Words for what a non-raster file is, from its first few kilobytes. */
function describeOther(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 4096);
  if (startsWith(head, 0, '%PDF')) return 'a PDF document';
  if (startsWith(head, 0, 'PK\x03\x04')) return 'a ZIP archive';
  if (head.includes(0)) return 'binary data of no image format this studio reads';
  const text = new TextDecoder('utf-8')
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/<svg[\s>]/.test(text)) return 'SVG text';
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'HTML text';
  if (text.startsWith('<?xml') || text.startsWith('<')) return 'XML or markup text';
  return 'plain text';
}

/** Why the bytes are not the image the file's name says, or null when they are (or the name claims nothing). */
export function imageKindProblem(file: string, bytes: Uint8Array): string | null {
  const actual = rasterFormatOf(bytes);
  const claimed = CLAIMED[extname(file).toLowerCase()];
  const what = actual ? RASTER[actual].description : describeOther(bytes);
  if (claimed && actual !== claimed) return `not a ${RASTER[claimed].name}: it is ${what}`;
  if (!actual) return `not an image: it is ${what}`;
  return null;
}
