// The folders whose files the doors may serve (open projects, their image sources, folders
// picked for prediction). A request is resolved (`..`, symlinks) before it is compared,
// so neither lexical tricks nor links can reach outside.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';

export class AllowedRoots {
  private readonly roots = new Set<string>();

  /** Single files the doors may read (a prediction's images), by real path; they never widen where anything may be written or named. */
  private readonly files = new Set<string>();

  add(folder: string): void {
    this.roots.add(resolve(folder));
  }

  /** Lets the doors show these files (real paths, each already checked by the caller); no folder is added. */
  addFiles(reals: Iterable<string>): void {
    for (const real of reals) this.files.add(real);
  }

  list(): string[] {
    return [...this.roots];
  }

  /** The real path of `requested` if it lies inside an allowed root; throws 'forbidden' otherwise. */
  async resolveFile(requested: string): Promise<string> {
    if (!requested || requested.includes('\0') || !isAbsolute(requested)) {
      throw new StudioError('forbidden', `refused path '${requested}': not an absolute path`);
    }
    let real: string;
    try {
      real = await realpath(resolve(requested));
    } catch {
      throw new StudioError('not-found', `no such file: ${requested}`);
    }
    if (this.files.has(real) || (await this.containsReal(real))) return real;
    throw new StudioError('forbidden', `refused path '${requested}': outside the project's folders`);
  }

  /** Whether an already-resolved real path lies inside an allowed root. */
  async containsReal(real: string): Promise<boolean> {
    for (const root of this.roots) {
      const realRoot = await realpath(root).catch(() => null);
      if (realRoot && isInside(real, realRoot)) return true;
    }
    return false;
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}
