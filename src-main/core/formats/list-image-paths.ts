// Where a list's relative image paths point. The reference implementation writes paths
// relative to the folder it runs in (`data/images/lsp_dataset/im0001.jpg` in `data/train`),
// not to the list, so a path is tried against the list's folder, then its parents up to
// PARENT_LEVELS above; or only against an images root the user names. A path must stay
// inside the folder it is resolved against (`../../etc/passwd` is refused).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { resolveDatasetPath } from './parsed-dataset';

/** How many folders above the list's own a relative image path is looked for. */
export const PARENT_LEVELS = 3;

export type ListImageResolver = (written: string) => { path: string } | { reason: string };

/** The folders a relative path is tried against, in order. */
export function listImageBases(listDir: string, imagesRoot?: string): string[] {
  if (imagesRoot) return [resolve(imagesRoot)];
  const bases = [resolve(listDir)];
  for (let i = 0; i < PARENT_LEVELS; i++) {
    const up = dirname(bases[bases.length - 1]);
    if (up === bases[bases.length - 1]) break;
    bases.push(up);
  }
  return bases;
}

/**
 * A resolver for one list: the first base under which the file exists wins; when none
 * holds it, the path under the first base is answered, so the missing file is reported there.
 */
export function listImageResolver(listDir: string, imagesRoot?: string): ListImageResolver {
  const bases = listImageBases(listDir, imagesRoot);
  return (written) => {
    const first = resolveDatasetPath(bases[0], written);
    if ('reason' in first || isAbsolute(written) || existsSync(first.path)) return first;
    for (const base of bases.slice(1)) {
      const where = resolveDatasetPath(base, written);
      if ('path' in where && existsSync(where.path)) return where;
    }
    return first;
  };
}
