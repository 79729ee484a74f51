// Where a call may create a project or write a file on a caller's behalf. The same rules for
// every door: absolute paths only, never the filesystem root or a system tree, nothing
// overwritten without an explicit choice, and (outside the CLI, where the user typed the
// path) writes only inside the studio's allowed roots. Paths are judged by their real
// location, so a symlink into /etc counts as /etc.
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { isInside, type AllowedRoots } from './allowed-roots';

/** Trees that belong to the operating system; /var/tmp (and macOS's per-user temp) is the user's. */
const SYSTEM_TREES = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
  '/System',
  '/private/etc',
  '/private/var',
];
const USER_TREES_UNDER_SYSTEM = ['/var/tmp', '/var/folders', '/private/var/tmp', '/private/var/folders'];

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Refuses names and paths with control characters (a newline in a path can forge a CSV row or a log line). */
export function refuseControlCharacters(what: string, value: string): void {
  if (CONTROL.test(value))
    throw new StudioError('invalid-argument', `${what} contains control characters (newline, tab or similar); refused`);
}

/** The system tree `real` lies in, or null. */
export function systemTreeOf(real: string): string | null {
  if (USER_TREES_UNDER_SYSTEM.some((tree) => isInside(real, tree))) return null;
  return SYSTEM_TREES.find((tree) => isInside(real, tree)) ?? null;
}

/** The real path of `path`, resolving symlinks in the part that exists (the rest is appended as written). */
export async function realPathOfNearest(path: string): Promise<string> {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(await realpath(at), ...missing.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return path;
      missing.push(basename(at));
      at = parent;
    }
  }
}

/** `path` resolved, refused when relative or holding control characters. */
export function requireAbsolute(what: string, path: string): string {
  refuseControlCharacters(what, path);
  if (!isAbsolute(path))
    throw new StudioError('invalid-argument', `${what} '${path}' is a relative path; give an absolute path`);
  return resolve(path);
}

/** A folder a new project may live in; returns it resolved. */
export async function checkProjectFolder(folder: string): Promise<string> {
  const dir = requireAbsolute('project folder', folder);
  const real = await realPathOfNearest(dir);
  if (real === parse(real).root)
    throw new StudioError(
      'forbidden',
      `${dir}: refusing to make the filesystem root a project; pick a folder of your own`,
    );
  const tree = systemTreeOf(real);
  if (tree) throw new StudioError('forbidden', `${dir}: refusing to make a project inside the system folder ${tree}`);
  if (real === (await realPathOfNearest(homedir())))
    throw new StudioError('forbidden', `${dir}: refusing to make your home folder itself a project; pick a subfolder`);
  return dir;
}

/** The roots a door's writes must stay in: none on the CLI (the user typed the path), the allowed roots elsewhere. */
export function writeRoots(ctx: { door: string; roots: AllowedRoots }): AllowedRoots | undefined {
  return ctx.door === 'cli' ? undefined : ctx.roots;
}

export interface WriteTargetOptions {
  /** Replace an existing file; without it an existing target is refused. */
  overwrite?: boolean;
  /** When given, the target must lie inside one of these (every door but the CLI). */
  roots?: AllowedRoots;
}

/** A project folder holds this file; its name is the catalog's (kept here so files/ needs no catalog import). */
const PROJECT_MARKER = 'catalog.sqlite';
/** What a project keeps for itself, by the first name under the project folder: the catalog and SQLite's companions, runs (with their stages and locks), stages. */
const BOOKKEEPING = new Set([
  'catalog.sqlite',
  'catalog.sqlite-wal',
  'catalog.sqlite-shm',
  'catalog.sqlite-journal',
  'runs',
  'stages',
]);

/**
 * Refuses a write into a project's own bookkeeping (its catalog, runs/, stages/, lock files):
 * an export written over catalog.sqlite destroys the project. Judged by the real path, walking
 * up to every folder that holds a catalog.
 */
export function refuseProjectBookkeeping(target: string, real: string): void {
  if (basename(real).endsWith('.lock'))
    throw new StudioError('forbidden', `${target}: a lock file; refusing to write over it`);
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    if (existsSync(join(dir, PROJECT_MARKER))) {
      const first = relative(dir, real).split(sep)[0];
      if (BOOKKEEPING.has(first))
        throw new StudioError(
          'forbidden',
          `${target}: inside the project ${dir}'s own files (${first}); refusing to write there, choose a file outside them (e.g. ${join(dir, 'exports')})`,
        );
    }
    if (dirname(dir) === dir) return;
  }
}

/** The place checks of the output rule, made at the door for every output path: not relative, not in a system tree, not in a project's bookkeeping. */
export async function checkOutputPlace(what: string, path: string): Promise<void> {
  const target = requireAbsolute(what, path);
  const real = await realPathOfNearest(target);
  const tree = systemTreeOf(real);
  if (tree) throw new StudioError('forbidden', `${target}: refusing to write inside the system folder ${tree}`);
  refuseProjectBookkeeping(target, real);
}

/** A folder a writer fills (export crops): not in a system tree, not in a project's bookkeeping. */
export async function checkWriteFolder(path: string): Promise<string> {
  const folder = requireAbsolute('output folder', path);
  const real = await realPathOfNearest(folder);
  const tree = systemTreeOf(real);
  if (tree) throw new StudioError('forbidden', `${folder}: refusing to write inside the system folder ${tree}`);
  refuseProjectBookkeeping(folder, real);
  const existing = await lstat(folder).catch(() => null);
  if (existing && !existing.isDirectory())
    throw new StudioError('conflict', `${folder} exists and is not a folder; refusing to write crops into it`);
  return folder;
}

/** A file a call may write; returns it resolved. Refuses system trees, folders and devices, and existing files unless `overwrite`. */
export async function checkWriteTarget(path: string, options: WriteTargetOptions = {}): Promise<string> {
  const target = requireAbsolute('output file', path);
  const real = await realPathOfNearest(target);
  const tree = systemTreeOf(real);
  if (tree) throw new StudioError('forbidden', `${target}: refusing to write inside the system folder ${tree}`);
  refuseProjectBookkeeping(target, real);
  if (options.roots && !(await options.roots.containsReal(real))) {
    throw new StudioError('forbidden', `${target}: refusing to write outside the project's folders`);
  }
  const existing = await lstat(target).catch(() => null);
  if (existing) {
    if (!existing.isFile())
      throw new StudioError('conflict', `${target} exists and is not a regular file; refusing to replace it`);
    if (!options.overwrite)
      throw new StudioError(
        'conflict',
        `${target} already exists: tick 'replace an existing file' (--overwrite in the CLI) to write over it`,
      );
  }
  return target;
}
