// Issue 24, item 2: the browser door's folder browser can make a new folder where it may list
// (never outside, in a system tree, over an existing name or inside a project's own files) and
// shows hidden folders on request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import type { FolderListing } from '../../src-shared/api/files.contract';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
const home = join(temp.dir, 'home');
const outside = join(temp.dir, 'outside');
mkdirSync(join(home, '.hidden'), { recursive: true });
mkdirSync(join(home, 'project', 'runs'), { recursive: true });
writeFileSync(join(home, 'project', 'catalog.sqlite'), '');
mkdirSync(outside);
symlinkSync(outside, join(home, 'link-out'));
process.env.HOME = home;

const studio = createStudio({ home: join(temp.dir, 'studio'), door: 'serve' });
test.after(async () => {
  await studio.close();
  temp.cleanup();
});

async function call(name: string, input: Record<string, unknown>): Promise<unknown> {
  const reply = await studio.dispatch(name as never, input as never);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { kind: reply.error.kind });
  return reply.value;
}

test('a new folder is made inside a folder the browser lists, and listed', async () => {
  const { path } = (await call('files.makeFolder', { parent: home, name: 'new data' })) as { path: string };
  assert.equal(path, join(home, 'new data'));
  assert.ok(existsSync(path));
  const listing = (await call('files.browse', { folder: home })) as FolderListing;
  assert.ok(listing.folders.some((f) => f.name === 'new data'));
});

test('hidden folders are listed only on request', async () => {
  const plain = (await call('files.browse', { folder: home })) as FolderListing;
  assert.ok(!plain.folders.some((f) => f.name === '.hidden'));
  const all = (await call('files.browse', { folder: home, hidden: true })) as FolderListing;
  assert.ok(all.folders.some((f) => f.name === '.hidden'));
});

test('making a folder is refused outside, in system trees, over existing names, in bookkeeping and with bad names', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ parent: outside, name: 'x' }, 'forbidden'],
    [{ parent: join(home, 'link-out'), name: 'x' }, 'forbidden'],
    [{ parent: '/etc', name: 'x' }, 'forbidden'],
    [{ parent: home, name: '.hidden' }, 'conflict'],
    [{ parent: home, name: '..' }, 'invalid-argument'],
    [{ parent: home, name: 'a/b' }, 'invalid-argument'],
    [{ parent: home, name: 'a\nb' }, 'invalid-argument'],
    [{ parent: join(home, 'project'), name: 'runs' }, 'forbidden'],
    [{ parent: join(home, 'project', 'runs'), name: 'x' }, 'forbidden'],
    [{ parent: 'relative', name: 'x' }, 'invalid-argument'],
  ];
  for (const [input, kind] of cases) {
    await assert.rejects(
      call('files.makeFolder', input),
      (error: Error & { kind?: string }) => error.kind === kind && !error.message.includes('\n'),
      JSON.stringify(input),
    );
  }
  assert.ok(!existsSync(join(outside, 'x')));
  assert.ok(!existsSync(join(home, 'project', 'runs', 'x')));
});
