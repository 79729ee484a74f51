// Issue 23, item 5: paths are types. Every string field of every call's input that is named like a
// path is made by src-shared/api/paths.ts (registered with its role), and the door finds a call's
// paths by those schemas: a field named like nothing in particular is still checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { calls } from '../../src-shared/api/contract';
import { pathRoles } from '../../src-shared/api/paths';
import { pathsBySchema } from '../../src-main/core/api/door-paths';

const PATH_LIKE = /path|folder|dir|root|project|file|model(?!.*(id|name))|start|parent|out$|target|dest/i;
type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  out?: z.ZodType;
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** `where` of every path-named string field of `schema` not made by the path parsers. */
function unbrandedPathFields(schema: z.ZodType, where: string, key = ''): string[] {
  if (pathRoles.get(schema)) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return PATH_LIKE.test(key) ? [where] : [];
    case 'object':
      return Object.entries(def.shape!).flatMap(([k, child]) => unbrandedPathFields(child, `${where}.${k}`, k));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return unbrandedPathFields(def.innerType!, where, key);
    case 'pipe':
      return unbrandedPathFields(def.out!, where, key);
    case 'array':
      return unbrandedPathFields(def.element!, `${where}[]`, key);
    case 'union':
      return def.options!.flatMap((option, i) => unbrandedPathFields(option, `${where}|${i}`, key));
    default:
      return [];
  }
}

test('no call takes a path-named string that is not a branded path', () => {
  const offenders = Object.entries(calls).flatMap(([name, c]) => unbrandedPathFields(c.input, name));
  assert.deepEqual(offenders, []);
});

test('the walk would catch a new unbranded path field (the test can fail)', () => {
  const schema = z.object({
    project: z.string(),
    exportTo: z.object({ targetFile: z.string().optional() }),
    list: z.array(z.object({ imagePath: z.string() })),
  });
  assert.deepEqual(unbrandedPathFields(schema, 'x'), ['x.project', 'x.exportTo.targetFile', 'x.list[].imagePath']);
});

test("the door finds a call's paths by schema, with their roles, whatever the fields are named", () => {
  const found = (name: keyof typeof calls, input: unknown) =>
    pathsBySchema(calls[name].input, calls[name].input.parse(input)).map(({ role, path }) => `${role}:${path}`);
  assert.deepEqual(
    found('predict.start', { project: '/p', model: { modelFolder: '/m' }, source: { folder: '/list.txt' } }),
    ['project:/p', 'input:/m', 'input:/list.txt'],
  );
  assert.deepEqual(found('predict.start', { project: '/p', model: { runId: 'r' }, source: { split: 'test' } }), [
    'project:/p',
  ]);
  assert.deepEqual(found('datasets.export', { project: '/p', format: 'csv', path: '/out.csv', imagesRoot: '/imgs' }), [
    'project:/p',
    'output:/out.csv',
    'input:/imgs',
  ]);
  assert.deepEqual(found('files.makeFolder', { parent: '/a', name: 'b' }), ['input:/a']);
  assert.deepEqual(found('files.pick', { kind: 'folder', start: '/s' }), ['hint:/s']);
  assert.deepEqual(found('models.exportOnnx', { project: '/p', model: { modelFolder: '/m' }, path: '/x.onnx' }), [
    'project:/p',
    'input:/m',
    'output:/x.onnx',
  ]);
});
