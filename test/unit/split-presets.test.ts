// LSP's standard split as a preset: im0001–im1000 train, im1001–im2000 test by file name,
// other images untouched; refused whole once runs were measured on test images it would move.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { applySplitPreset, lspSplitOf } from '../../src-main/core/catalog/split-presets';
import { createRun } from '../../src-main/core/catalog/runs';
import type { Catalog } from '../../src-main/core/catalog/open-catalog';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

function addImages(catalog: Catalog, paths: string[], split = 'val'): void {
  const insert = catalog.db.prepare(
    'INSERT INTO images (path, sha256, width, height, split, added_at) VALUES (?, ?, 100, 80, ?, 0)',
  );
  catalog.db.transaction(() => paths.forEach((p, i) => insert.run(p, `sha-${p}-${i}`, split)))();
}

const splitOf = (catalog: Catalog, name: string) =>
  (catalog.db.prepare('SELECT split FROM images WHERE path LIKE ?').get(`%/${name}`) as { split: string }).split;

test('file names decide: 1–1000 train, 1001–2000 test, anything else none', () => {
  assert.equal(lspSplitOf('/d/lsp/images/im0001.jpg'), 'train');
  assert.equal(lspSplitOf('/d/im1000.JPG'), 'train');
  assert.equal(lspSplitOf('/d/im1001.jpg'), 'test');
  assert.equal(lspSplitOf('/d/im2000.png'), 'test');
  for (const other of ['/d/im0000.jpg', '/d/im2001.jpg', '/d/im00001.jpg', '/d/photo.jpg', '/d/xim0001.jpg'])
    assert.equal(lspSplitOf(other), null, other);
});

test("the lsp preset splits LSP's images and leaves the others where they were", () => {
  const catalog = createProject(join(temp.dir, 'lsp'), 'lsp', LSP14);
  addImages(catalog, [
    '/lsp/im0001.jpg',
    '/lsp/im0999.jpg',
    '/lsp/im1000.jpg',
    '/lsp/im1001.jpg',
    '/lsp/im2000.jpg',
    '/lspet/im00001.jpg',
  ]);
  assert.deepEqual(applySplitPreset(catalog, 'lsp'), { train: 3, val: 1, test: 2, unmatched: 1 });
  assert.equal(splitOf(catalog, 'im1000.jpg'), 'train');
  assert.equal(splitOf(catalog, 'im1001.jpg'), 'test');
  assert.equal(splitOf(catalog, 'im00001.jpg'), 'val');
  catalog.close();
});

test('refused with no LSP names, and when measured test images would move to train', () => {
  const catalog = createProject(join(temp.dir, 'guard'), 'guard', LSP14);
  addImages(catalog, ['/mine/a.jpg']);
  assert.throws(() => applySplitPreset(catalog, 'lsp'), /no image is named im0001…im2000/);
  addImages(catalog, ['/lsp/im0005.jpg', '/lsp/im1500.jpg'], 'test');
  createRun(catalog, { name: 'r', config: {} });
  assert.throws(() => applySplitPreset(catalog, 'lsp'), /1 test images would move to train/);
  assert.equal(splitOf(catalog, 'im0005.jpg'), 'test');
  catalog.close();
});
