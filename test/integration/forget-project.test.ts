// Removing a project from the recent list through the API (as the serve door's page does):
// the folder, its catalog and its labels stay on disk, and opening the folder lists it again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import type { Envelope } from '../../src-shared/api/define';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
const home = join(temp.dir, 'home');
const studio = createStudio({ home, door: 'serve', allow: [temp.dir] });
after(async () => {
  await studio.close();
  temp.cleanup();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const envelope = (await studio.dispatch(name, input)) as Envelope<T>;
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.kind}: ${envelope.error.message}`);
  return envelope.value;
}

const listed = async () => (await call<Array<{ path: string }>>('projects.list', {})).map((p) => p.path);

test('a forgotten project leaves the list, keeps its folder and catalog, and comes back when opened', async () => {
  const kept = join(temp.dir, 'kept');
  const forgotten = join(temp.dir, 'forgotten');
  await call('projects.create', { folder: kept, name: 'Kept', skeleton: { preset: 'lsp14' } });
  await call('projects.create', { folder: forgotten, name: 'Forgotten', skeleton: { preset: 'coco17' } });
  const catalogBytes = readFileSync(join(forgotten, 'catalog.sqlite'));
  assert.deepEqual(await listed(), [forgotten, kept]);

  assert.deepEqual(await call('projects.forget', { folder: forgotten }), { forgotten: true });
  assert.deepEqual(await listed(), [kept]);
  assert.ok(existsSync(join(forgotten, 'catalog.sqlite')), 'the catalog is still there');
  assert.ok(readFileSync(join(forgotten, 'catalog.sqlite')).equals(catalogBytes), 'and unchanged');
  assert.deepEqual(
    await call('projects.forget', { folder: forgotten }),
    { forgotten: false },
    'twice: nothing to forget',
  );

  const reopened = await call<{ name: string; skeleton: { name: string } }>('projects.open', { folder: forgotten });
  assert.equal(reopened.name, 'Forgotten');
  assert.deepEqual(await listed(), [forgotten, kept]);
});

test('forget takes only absolute paths without control characters, inside what the door may name', async () => {
  for (const [folder, kind] of [
    ['relative/project', 'invalid-argument'],
    [`${temp.dir}/kept\n`, 'invalid-argument'],
    ['/etc', 'forbidden'],
  ]) {
    const reply = (await studio.dispatch('projects.forget', { folder })) as Envelope<unknown>;
    assert.ok(!reply.ok && reply.error.kind === kind, `${JSON.stringify(folder)}: ${JSON.stringify(reply)}`);
  }
  const reply = (await studio.dispatch('projects.forget', {})) as Envelope<unknown>;
  assert.ok(!reply.ok && reply.error.kind === 'invalid-argument' && /argument 'folder'/.test(reply.error.message));
});
