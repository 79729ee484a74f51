// Files the studio writes (catalog-adjacent JSON, exports, thumbnails, checkpoints, models)
// appear whole or not at all: written to a temporary name beside the target, flushed to
// disk, renamed over it, and the folder flushed so the rename itself survives a crash.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The async form, for the main process: many writers may run at once, so temp names are random;
 * they carry the pid too, so a crashed writer's temp file can be told from a live one's (files/leftovers.ts).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  syncDir(dirname(target));
}

/** The sync form, for the worker's checkpoints and models. */
export function writeFileDurable(path: string, data: Uint8Array | string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeAndSync(temp, data);
  renameSync(temp, path);
  syncDir(dirname(path));
}

/** Writes and fsyncs a file in a folder that is itself renamed into place later. */
export function writeAndSync(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the parts one after another (never joined into one copy), hashing them on the way,
 * then fsyncs: a checkpoint's 233 MB of weights and as much optimizer state go out without a
 * second copy in memory or a read-back to checksum them.
 */
export function writePartsAndSync(
  path: string,
  parts: Iterable<Uint8Array | string>,
): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  let total = 0;
  const fd = openSync(path, 'w');
  try {
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      hash.update(bytes);
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      total += bytes.length;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { bytes: total, sha256: hash.digest('hex') };
}

export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
