// Paths the studio reads because a file or a catalog names them (a list's lines, COCO's
// file_name, LSP folders, a catalog's image paths): such a path was typed by whoever wrote the
// file, not by the user, so it is judged as the door would judge a path the caller named, and
// never lies in a system tree. Reading never widens the allowed roots.
import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { isInside } from './allowed-roots';
import { requireDoorAccess, type DoorAccess } from './door-access';
import { realPathOfNearest, refuseControlCharacters, systemTreeOf } from './path-policy';

/** The real path of `path` named by a file or a catalog; refused in one line when the door may not read it. */
export async function requireReadable(ctx: DoorAccess, what: string, path: string): Promise<string> {
  refuseControlCharacters(what, path);
  if (!isAbsolute(path))
    throw new StudioError('invalid-argument', `${what} '${path}' is a relative path; give an absolute path`);
  const real = await realPathOfNearest(resolve(path));
  const tree = systemTreeOf(real);
  if (tree) throw new StudioError('forbidden', `${path}: inside the system folder ${tree}; refused`);
  await requireDoorAccess(ctx, what, path);
  return real;
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * Whether a folder a catalog names (where its images are) may become an allowed root when the
 * project opens: never a system tree, and on a door with --allow only inside its home, its
 * --allow roots or the project itself (a catalog someone sent you cannot open up /etc).
 */
export function catalogFolderAdmitted(ctx: DoorAccess, projectDir: string, folder: string): boolean {
  if (!isAbsolute(folder) || folder.includes('\0')) return false;
  const real = realOrNull(folder);
  if (!real || systemTreeOf(real)) return false;
  if (!ctx.allow) return true;
  return [ctx.home, projectDir, ...ctx.allow].some((place) => {
    const realPlace = realOrNull(place);
    return realPlace !== null && isInside(real, realPlace);
  });
}
