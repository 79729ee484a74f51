// PNG chunk integrity, checked before libvips sees the file: libvips decodes some chunks whose
// CRC is wrong, and a file that lies about its own checksums is not one to trust with labels.
import { crc32 } from './crc32';

/** The first problem with a PNG's chunk sequence (from the signature to IEND), or null. */
export function pngChunkProblem(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const typeBytes = bytes.subarray(at + 4, at + 8);
    if (!typeBytes.every((b) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122)))
      return `PNG chunk at byte ${at} has no valid chunk type`;
    const type = String.fromCharCode(...typeBytes);
    const end = at + 8 + length;
    if (end + 4 > bytes.length) return `PNG chunk ${type} runs past the end of the file (truncated)`;
    if (crc32(bytes.subarray(at + 4, end)) !== view.getUint32(end)) return `PNG chunk ${type} fails its CRC`;
    if (type === 'IEND') return null;
    at = end + 4;
  }
  return 'PNG ends before its IEND chunk (truncated)';
}
