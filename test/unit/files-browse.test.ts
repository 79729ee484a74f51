// The browser door's folder browser lists only the home folder and the studio's open folders,
// never a system tree, whatever path, `..` or symlink it is asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import type { FolderListing, PickResult } from '../../src-shared/api/files.contract';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
const home = join(temp.dir, 'home');
const outside = join(temp.dir, 'outside');
mkdirSync(join(home, 'data', 'images'), { recursive: true });
mkdirSync(join(home, '.hidden'));
writeFileSync(join(home, 'data', 'a.jpg'), 'x');
writeFileSync(join(home, 'data', 'b.PNG'), 'x');
writeFileSync(join(home, 'data', 'notes.txt'), 'x');
symlinkSync('/etc', join(home, 'etc-link'));
mkdirSync(join(outside, 'project'), { recursive: true });
process.env.HOME = home;

const studio = createStudio({ home: join(temp.dir, 'studio'), door: 'serve' });
test.after(async () => {
  await studio.close();
  temp.cleanup();
});

async function browse(input: Record<string, unknown>): Promise<FolderListing> {
  const reply = await studio.dispatch('files.browse', input);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { kind: reply.error.kind });
  return reply.value as FolderListing;
}
const names = (entries: { name: string }[]) => entries.map((e) => e.name);
const refused = (kind: string) => (error: Error & { kind?: string }) => error.kind === kind;

test('without a folder the browser starts at home, lists subfolders (no hidden ones, no links out) and cannot go above it', async () => {
  const listing = await browse({});
  assert.equal(listing.folder, home);
  assert.equal(listing.parent, null);
  assert.deepEqual(names(listing.folders), ['data']);
  assert.deepEqual(listing.files, []);
  assert.ok(listing.places.some((p) => p.path === home));
});

test('files are listed by extension, case-insensitively; a missing folder lists its nearest existing parent', async () => {
  const data = await browse({ folder: join(home, 'data'), extensions: ['jpg', 'png'] });
  assert.deepEqual(names(data.folders), ['images']);
  assert.deepEqual(names(data.files), ['a.jpg', 'b.PNG']);
  assert.equal(data.parent, home);
  assert.deepEqual(names((await browse({ folder: join(home, 'data'), extensions: ['*'] })).files), [
    'a.jpg',
    'b.PNG',
    'notes.txt',
  ]);
  assert.equal((await browse({ folder: join(home, 'data', 'new', 'project') })).folder, join(home, 'data'));
});

test('system trees, paths outside home and the open folders, links out and relative paths are refused', async () => {
  for (const folder of [
    '/etc',
    '/proc',
    '/proc/self',
    '/',
    '/usr/share',
    `${home}/../outside`,
    join(home, 'etc-link'),
    outside,
  ]) {
    await assert.rejects(browse({ folder }), refused('forbidden'), folder);
  }
  await assert.rejects(browse({ folder: 'data' }), refused('invalid-argument'));
  await assert.rejects(browse({ folder: `${home}/data\n` }), refused('invalid-argument'));
});

test("a project's folder opened in the studio becomes browsable, but not what lies above it", async () => {
  // Made by the user on the CLI (outside serve's --allow roots), then opened by serve from the recent projects.
  const project = join(outside, 'project', 'p1');
  const cli = createStudio({ home: join(temp.dir, 'studio'), door: 'cli' });
  const created = await cli.dispatch('projects.create', { folder: project, name: 'p1', skeleton: { preset: 'lsp14' } });
  await cli.close();
  assert.ok(created.ok, JSON.stringify(created));
  assert.ok((await studio.dispatch('projects.list', {})).ok);
  const listing = await browse({ folder: project });
  assert.equal(listing.folder, project);
  assert.equal(listing.parent, null);
  assert.ok(listing.places.some((p) => p.path === project));
  await assert.rejects(browse({ folder: outside }), refused('forbidden'));
});

test('the serve door has no native dialog: files.pick answers unavailable', async () => {
  const reply = await studio.dispatch('files.pick', { kind: 'folder' });
  assert.ok(reply.ok);
  assert.deepEqual(reply.value as PickResult, { status: 'unavailable' });
});

test('the serve door cannot open a file manager: files.reveal answers unavailable', async () => {
  const reply = await studio.dispatch('files.reveal', { path: home });
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.deepEqual(reply.value, { status: 'unavailable' });
});
