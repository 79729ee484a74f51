// Every call's paths pass the door's checks before its handler runs. Which inputs are paths is
// read from the contract's schemas (src-shared/api/paths.ts: a path field is made by
// projectPath/inputPath/outputPath/pathHint and registered with its role), never guessed from
// field names, so a new field that names a place is checked because it is a path.
import type { z } from 'zod';
import { calls, isCallName } from '../../../src-shared/api/contract';
import { pathRoles, type PathRole } from '../../../src-shared/api/paths';
import { StudioError } from '../../../src-shared/api/define';
import type { DoorAccess } from '../files/door-access';
import { requireDoorAccess } from '../files/door-access';
import { checkOutputPlace } from '../files/path-policy';
import type { Handlers } from './dispatch';

export interface NamedPath {
  role: PathRole;
  what: string;
  path: string;
}

type AnySchema = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

/** Every path in `value` (already parsed by `schema`), found by walking the schema alongside it. */
export function pathsBySchema(schema: z.ZodType, value: unknown): NamedPath[] {
  const found: NamedPath[] = [];
  const visit = (node: AnySchema, v: unknown, depth: number) => {
    if (depth > 12 || v === undefined || v === null) return;
    const meta = pathRoles.get(node);
    if (meta) {
      if (typeof v === 'string') found.push({ ...meta, path: v });
      return;
    }
    const def = node._zod.def;
    switch (def.type) {
      case 'object': {
        if (typeof v !== 'object') return;
        const shape = def.shape as Record<string, AnySchema>;
        for (const [key, child] of Object.entries(shape)) visit(child, (v as Record<string, unknown>)[key], depth + 1);
        return;
      }
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        visit(def.innerType as AnySchema, v, depth + 1);
        return;
      case 'pipe':
        visit(def.out as AnySchema, v, depth + 1);
        return;
      case 'array':
        if (Array.isArray(v)) for (const item of v) visit(def.element as AnySchema, item, depth + 1);
        return;
      case 'union':
        // The option the value parses as (a union of objects: the one whose fields it has).
        for (const option of def.options as AnySchema[]) {
          if (option.safeParse(v).success) {
            visit(option, v, depth + 1);
            return;
          }
        }
        return;
      case 'intersection':
        visit(def.left as AnySchema, v, depth + 1);
        visit(def.right as AnySchema, v, depth + 1);
        return;
      case 'record':
        if (typeof v === 'object')
          for (const item of Object.values(v as object)) visit(def.valueType as AnySchema, item, depth + 1);
        return;
      default:
        return;
    }
  };
  visit(schema as AnySchema, value, 0);
  return found;
}

/** One path's checks at the door: a name no filesystem takes is bad input; outputs follow the output rule's place checks; every door but the hint is judged by the door's reach. */
async function checkAtDoor(ctx: DoorAccess, { role, what, path }: NamedPath): Promise<void> {
  if (role === 'hint') return;
  const long = path.split(/[\\/]/).find((part) => Buffer.byteLength(part) > 255);
  if (long !== undefined)
    throw new StudioError(
      'bad-input',
      `${what} '${path.slice(0, 80)}…': a folder or file name is ${Buffer.byteLength(long)} bytes long, above the 255 a filesystem takes`,
    );
  if (role === 'output') await checkOutputPlace(what, path);
  await requireDoorAccess(ctx, what, path);
}

/** The handlers, each checking its call's paths (found by schema) before it runs. */
export function guardDoorPaths(ctx: DoorAccess, handlers: Handlers): Handlers {
  const guarded: Record<string, (input: unknown) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as Array<[string, (input: unknown) => unknown]>) {
    const schema = isCallName(name) ? calls[name].input : null;
    guarded[name] = async (input) => {
      if (schema) for (const named of pathsBySchema(schema, input)) await checkAtDoor(ctx, named);
      return handler(input);
    };
  }
  return guarded as Handlers;
}
