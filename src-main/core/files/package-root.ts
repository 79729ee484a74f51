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

/** Inside a packaged app, files electron-builder unpacks (asarUnpack: addons, the Python engine) lie beside the asar: the path there. */
export function unpackedPath(path: string): string {
  return path.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}
