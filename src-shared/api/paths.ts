// Paths as types: every field of the API that names a place on disk is made by one of these
// parsers, so a field cannot be a path without the door checking it. The role is recorded in
// `pathRoles` (a zod registry), which the main process walks to find a call's paths by schema,
// never by field name; test/unit/contract-paths.test.ts fails on a path-named string field
// that is not made here.
import { z } from 'zod';

/**
 * - 'project': an existing or new project folder;
 * - 'input': a file or folder the call reads (or, for projects.create, makes);
 * - 'output': a file the call writes (the output rule: no system tree, no project bookkeeping);
 * - 'hint': where a native dialog opens; never read or written by the core.
 */
export type PathRole = 'project' | 'input' | 'output' | 'hint';

export const pathRoles = z.registry<{ role: PathRole; what: string }>();

/** Longest path the doors accept (Linux's PATH_MAX). */
const MAX_PATH = 4096;

function pathSchema<B extends string>(role: PathRole, what: string) {
  const schema = z.string().min(1).max(MAX_PATH).brand<B>();
  pathRoles.add(schema, { role, what });
  return schema;
}

/** A project folder (existing, or to be created). */
export const projectPath = (what = 'project folder') => pathSchema<'ProjectPath'>('project', what);
/** A file or folder the call reads. */
export const inputPath = (what = 'path') => pathSchema<'InputPath'>('input', what);
/** A file the call writes. */
export const outputPath = (what = 'output file') => pathSchema<'OutputPath'>('output', what);
/** Where a native dialog opens: a hint, never read or written. */
export const pathHint = (what = 'start folder') => pathSchema<'PathHint'>('hint', what);
