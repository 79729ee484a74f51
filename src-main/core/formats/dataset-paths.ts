import { isAbsolute, relative, sep } from 'node:path';

/** How an exported list names an image: relative (with /) when it sits under the list's folder, else absolute. */
export function pathForList(listDir: string, imagePath: string): string {
  const rel = relative(listDir, imagePath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return imagePath;
  return rel.split(sep).join('/');
}
