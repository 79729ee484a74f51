import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The studio's own folder (package.json beside src-main or out/main), found from any module in it. */
export function findPackageRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (
      existsSync(join(dir, 'package.json')) &&
      (existsSync(join(dir, 'src-main')) || existsSync(join(dir, 'out', 'main')))
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the studio's package root above ${from}`);
    dir = parent;
  }
}
