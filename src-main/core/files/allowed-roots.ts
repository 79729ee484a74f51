// The folders whose files the doors may serve (open projects, their image sources, folders
// picked for prediction). A request is resolved (`..`, symlinks) before it is compared,
// so neither lexical tricks nor links can reach outside.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';

export class AllowedRoots {
  private readonly roots = new Set<string>();

  add(folder: string): void {
    this.roots.add(resolve(folder));
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
    for (const root of this.roots) {
      let realRoot: string;
      try {
        realRoot = await realpath(root);
      } catch {
        continue;
      }
      if (isInside(real, realRoot)) return real;
    }
    throw new StudioError('forbidden', `refused path '${requested}': outside the project's folders`);
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}
