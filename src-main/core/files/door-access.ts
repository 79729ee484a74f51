// Which places a door's calls may name. The serve door answers anyone holding its token, so
// the paths its calls name (projects, imports, exports, model and prediction folders) must lie
// in the studio's home, an open project's folders, or under a root the user gave with
// `deeppose serve --allow DIR` (default: the home folder). The desktop's authority is its native
// dialog and the CLI's is what the user typed: for them `allow` is null and nothing is added
// here. Paths are judged by their real location, so `..` and symlinks cannot lead out.
import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { isInside, type AllowedRoots } from './allowed-roots';
import { realPathOfNearest, refuseControlCharacters } from './path-policy';

export interface DoorAccess {
  readonly home: string;
  /** Roots the user allowed this door; null where the door has its own authority. */
  readonly allow: readonly string[] | null;
  readonly roots: AllowedRoots;
}

/** Whether the door's calls may use `real` (a real path): in its home, an --allow root or an open folder. */
async function reachable(ctx: DoorAccess, allow: readonly string[], real: string): Promise<boolean> {
  // Few places first, and one realpath at a time: most calls name a project under them.
  for (const place of [ctx.home, ...allow, ...ctx.roots.list()]) {
    const realPlace = await realpath(place).catch(() => null);
    if (realPlace && isInside(real, realPlace)) return true;
  }
  return false;
}

/** Refuses, in one line, a path outside the places this door may use. */
export async function requireDoorAccess(ctx: DoorAccess, what: string, path: string): Promise<void> {
  if (!ctx.allow) return;
  refuseControlCharacters(what, path);
  if (!isAbsolute(path))
    throw new StudioError('invalid-argument', `${what} '${path}' is a relative path; give an absolute path`);
  const real = await realPathOfNearest(resolve(path));
  if (await reachable(ctx, ctx.allow, real)) return;
  throw new StudioError(
    'forbidden',
    `${path}: outside the folders this studio may use (its home, open projects and the folders given with --allow); refused. To use it, start the studio with \`deeppose serve --allow DIR\` naming it or a folder above it (in the desktop app, choosing it in the native picker allows it)`,
  );
}
