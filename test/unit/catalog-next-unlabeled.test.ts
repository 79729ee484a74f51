// "Next unlabeled image" in the workspace: the catalog answers in grid order (by id), skipping
// fully labeled images and the one open, and wraps around to the start.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { nextUnlabeledImage } from '../../src-main/core/catalog/images';
import { createInstance, saveKeypoints } from '../../src-main/core/catalog/instances';
import type { Catalog } from '../../src-main/core/catalog/open-catalog';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

function addImages(catalog: Catalog, n: number): number[] {
  const insert = catalog.db.prepare(
    'INSERT INTO images (path, sha256, width, height, added_at) VALUES (?, ?, 100, 80, 0)',
  );
  return Array.from({ length: n }, (_, i) => Number(insert.run(`/data/img${i}.jpg`, `sha-${i}`).lastInsertRowid));
}

const joints = (n: number) =>
  Array.from({ length: n }, (_, joint) => ({ joint, x: 5 + joint, y: 5, visibility: 2 as const }));

/** A new person on the image with its first `n` joints labeled; returns its id. */
function label(catalog: Catalog, imageId: number, n: number): number {
  const instance = createInstance(catalog, imageId);
  saveKeypoints(catalog, instance.id, joints(n));
  return instance.id;
}

test('skips fully labeled images, counts partly labeled and person-less ones, wraps around, never answers the open image', () => {
  const catalog = createProject(join(temp.dir, 'next'), 'Next', LSP14);
  const [a, b, c, d] = addImages(catalog, 4);
  label(catalog, b, 14);
  const partial = label(catalog, c, 3);
  createInstance(catalog, d); // a person with no joint yet
  assert.equal(nextUnlabeledImage(catalog, a), c);
  assert.equal(nextUnlabeledImage(catalog, c), d);
  assert.equal(nextUnlabeledImage(catalog, d), a, 'wraps to the start');
  label(catalog, a, 14);
  saveKeypoints(catalog, partial, joints(14));
  assert.equal(nextUnlabeledImage(catalog, d), null, 'only the open image is left');
  assert.equal(nextUnlabeledImage(catalog, b), d);
  catalog.close();
});
