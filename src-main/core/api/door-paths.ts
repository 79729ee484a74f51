// Every call's named paths pass the door's access check before its handler runs. Paths are
// found by field name anywhere in the input (project, folder, path, modelFolder, imagesRoot), so a new
// call that names a place is checked without being listed here.
import type { DoorAccess } from '../files/door-access';
import { requireDoorAccess } from '../files/door-access';
import type { Handlers } from './dispatch';

const PATH_FIELDS: Record<string, string> = { project: 'project folder', folder: 'folder', path: 'path', modelFolder: 'model folder', imagesRoot: 'images folder' };

/** [what, path] for every path-named string field of `input`, nested objects included. */
export function namedPaths(input: unknown, depth = 0): Array<[string, string]> {
  if (!input || typeof input !== 'object' || depth > 4) return [];
  const found: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string' && key in PATH_FIELDS) found.push([PATH_FIELDS[key], value]);
    else if (value && typeof value === 'object') found.push(...namedPaths(value, depth + 1));
  }
  return found;
}

/** The handlers, each refusing a call whose paths lie outside what the door may use. */
export function guardDoorPaths(ctx: DoorAccess, handlers: Handlers): Handlers {
  if (!ctx.allow) return handlers;
  const guarded: Record<string, (input: unknown) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as Array<[string, (input: unknown) => unknown]>) {
    guarded[name] = async (input) => {
      for (const [what, path] of namedPaths(input)) await requireDoorAccess(ctx, what, path);
      return handler(input);
    };
  }
  return guarded as Handlers;
}
