// The browser door's folder browser: a folder's subfolders and matching files, for the
// renderer's picker. It lists only inside the user's home folder (on serve: the --allow roots
// and the studio's home) and the studio's open folders (projects, their image folders,
// prediction folders), never a system tree, judged
// by real paths so `..` and symlinks cannot lead out. Hidden entries are left out unless asked
// for. A new folder may be made where the browser may list.
import { homedir } from 'node:os';
import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import type { FolderEntry, FolderListing } from '../../../src-shared/api/files.contract';
import { isInside, type AllowedRoots } from './allowed-roots';
import { checkWriteFolder, refuseControlCharacters, systemTreeOf } from './path-policy';

/** Beyond this many entries a listing is cut (and says so): a picker is no file manager. */
const MAX_ENTRIES = 5000;
const MAX_PLACES = 20;

export interface BrowseRequest {
  folder?: string;
  /** Lower-case or not; '*' for every file; none: folders only. */
  extensions?: string[];
  /** Dot-named entries too. */
  hidden?: boolean;
}

/** Real paths of the places browsing may start from and stay under: the bases (home, or serve's --allow roots), then the open folders. */
async function browsePlaces(roots: AllowedRoots, bases: readonly string[]): Promise<string[]> {
  const real = await Promise.all([...bases, ...roots.list()].map((p) => realpath(p).catch(() => null)));
  const places: string[] = [];
  for (const place of real) {
    if (!place || systemTreeOf(place) || places.some((p) => isInside(place, p))) continue;
    places.push(place);
  }
  return places.slice(0, MAX_PLACES);
}

const allowed = (real: string, places: string[]) =>
  !systemTreeOf(real) && places.some((place) => isInside(real, place));

/** The nearest existing folder at or above `path` (a file counts as its folder). */
async function nearestFolder(path: string): Promise<string> {
  for (let at = path; ; at = dirname(at)) {
    const info = await stat(at).catch(() => null);
    if (info?.isDirectory()) return realpath(at);
    if (dirname(at) === at) return at;
  }
}

export async function browseFolder(
  request: BrowseRequest,
  roots: AllowedRoots,
  bases: readonly string[] = [homedir()],
): Promise<FolderListing> {
  const places = await browsePlaces(roots, bases);
  const asked = request.folder ?? places[0] ?? homedir();
  refuseControlCharacters('folder', asked);
  if (!isAbsolute(asked))
    throw new StudioError('invalid-argument', `folder '${asked}' is a relative path; give an absolute path`);
  const folder = await nearestFolder(resolve(asked));
  // One message for missing and forbidden alike: the browser is no oracle for what exists elsewhere.
  if (!allowed(folder, places))
    throw new StudioError('forbidden', `${asked}: only your home folder and the studio's open folders can be browsed`);

  const wanted = new Set((request.extensions ?? []).map((e) => `.${e.toLowerCase()}`));
  const folders: FolderEntry[] = [];
  const files: FolderEntry[] = [];
  let truncated = false;
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const entry of entries) {
    if (entry.name.startsWith('.') && !request.hidden) continue;
    if (folders.length + files.length >= MAX_ENTRIES) {
      truncated = true;
      break;
    }
    const path = join(folder, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // A link is listed only if where it leads could be browsed itself.
      const target = await realpath(path).catch(() => null);
      const info = target && allowed(target, places) ? await stat(target).catch(() => null) : null;
      isDirectory = !!info?.isDirectory();
      isFile = !!info?.isFile();
    }
    if (isDirectory && !systemTreeOf(path)) folders.push({ name: entry.name, path });
    else if (isFile && (wanted.has('.*') || wanted.has(extname(entry.name).toLowerCase())))
      files.push({ name: entry.name, path });
  }
  const up = dirname(folder);
  const home = await realpath(homedir()).catch(() => null);
  return {
    folder,
    parent: up !== folder && allowed(up, places) ? up : null,
    separator: sep,
    places: places.map((path) => ({ name: path === home ? 'Home' : path.split(sep).pop() || path, path })),
    folders,
    files,
    truncated,
  };
}

/** Makes `name` inside `parent` (a folder the browser may list); returns the new folder's path. */
export async function makeFolder(
  parent: string,
  name: string,
  roots: AllowedRoots,
  bases: readonly string[] = [homedir()],
): Promise<{ path: string }> {
  refuseControlCharacters('folder name', name);
  if (name === '.' || name === '..' || /[\\/]/.test(name))
    throw new StudioError('invalid-argument', `'${name}': a folder name cannot be '.', '..' or contain / or \\`);
  refuseControlCharacters('folder', parent);
  if (!isAbsolute(parent))
    throw new StudioError('invalid-argument', `folder '${parent}' is a relative path; give an absolute path`);
  const places = await browsePlaces(roots, bases);
  const real = await realpath(resolve(parent)).catch(() => null);
  if (!real || !(await stat(real)).isDirectory() || !allowed(real, places)) {
    throw new StudioError(
      'forbidden',
      `${parent}: only inside your home folder and the studio's open folders can a folder be made`,
    );
  }
  const path = await checkWriteFolder(join(real, name));
  try {
    await mkdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new StudioError('conflict', `${path} already exists`);
    throw new StudioError(
      'bad-input',
      `${path}: cannot make the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return { path };
}
