// Reads a file the user named as data (an image, a label list, a MAT or JSON file) without
// trusting what it is: only a regular file is read (after symlinks; a device such as
// /dev/zero would never end, a FIFO would block forever), and only up to a byte cap, so a
// hostile or mistaken path costs one clear line instead of memory or a hang.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { StudioError } from '../../../src-shared/api/define';

/** Label files (lists, COCO JSON, MAT): COCO's largest official file is ~450 MB; V8 strings end near 512 MiB. */
export const MAX_LABEL_FILE_BYTES = 512 * 1024 * 1024;
/** One image file: far above any photo of people. */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** The bytes of `file`; throws a 'bad-input' StudioError naming the file and the problem. */
export async function readRegularFile(file: string, maxBytes: number, what: string): Promise<Buffer> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StudioError(
      'bad-input',
      `${file}: ${code === 'ENOENT' ? `${what} not found` : `cannot read the ${what} (${code ?? 'error'})`}`,
    );
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new StudioError('bad-input', `${file}: not a regular file (${kindOf(info)}); refused as ${what}`);
    if (info.size > maxBytes)
      throw new StudioError(
        'bad-input',
        `${file}: ${megabytes(info.size)}, above the ${megabytes(maxBytes)} limit for a ${what}; refused`,
      );
    // Read no more than the cap even if the file grows while it is read.
    const buffer = Buffer.alloc(info.size);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === buffer.length ? buffer : buffer.subarray(0, offset);
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new StudioError(
      'bad-input',
      `${file}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  } finally {
    await handle.close();
  }
}

function kindOf(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a plain file';
}
