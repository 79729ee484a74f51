import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/catalog/import-dataset';
import { listExamples } from '../../src-main/core/catalog/examples';
import type { Catalog } from '../../src-main/core/catalog/open-catalog';
import type { ImportFormat } from '../../src-shared/api/catalog.contract';
import { COCO17, LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

interface Truth {
  examples: Array<{ image: string; joints: [number, number, number][] }>;
}

/** Truth says 1 = visible; every fixture joint is labeled, so invisible ones are occluded (1). */
function assertMatchesTruth(catalog: Catalog, truth: Truth, tolerance: number): void {
  const examples = listExamples(catalog);
  assert.equal(examples.length, truth.examples.length);
  for (const expected of truth.examples) {
    const found = examples.filter((e) => basename(e.imagePath) === expected.image);
    assert.equal(found.length, 1, `${expected.image} imported once`);
    found[0].joints.forEach(([x, y, v], j) => {
      const [tx, ty, tv] = expected.joints[j];
      assert.ok(Math.abs(x - tx) <= tolerance && Math.abs(y - ty) <= tolerance, `${expected.image} joint ${j}: (${x}, ${y}) vs (${tx}, ${ty})`);
      assert.equal(v, tv === 1 ? 2 : 1, `${expected.image} joint ${j} visibility`);
    });
  }
}

for (const [name, format] of [['lsp', 'lsp'], ['lsp-compressed', 'lsp'], ['lspet', 'lspet']] as const) {
  test(`${name} imports to the keypoints of its truth.json`, async () => {
    const catalog = createProject(join(temp.dir, name), name, LSP14);
    const report = await importDataset(catalog, { format: format as ImportFormat, path: join(fixturesDir, name) });
    const truth = JSON.parse(readFileSync(join(fixturesDir, name, 'truth.json'), 'utf8')) as Truth;
    assert.equal(report.imagesAdded, truth.examples.length);
    assert.equal(report.instancesAdded, truth.examples.length);
    assertMatchesTruth(catalog, truth, 1e-6);

    const before = catalog.db.prepare('SELECT COUNT(*) AS n FROM keypoints').get();
    const again = await importDataset(catalog, { format: format as ImportFormat, path: join(fixturesDir, name, 'joints.mat') });
    assert.equal(again.imagesAdded + again.instancesAdded, 0);
    assert.equal(again.instancesAlreadyPresent, truth.examples.length);
    assert.deepEqual(catalog.db.prepare('SELECT COUNT(*) AS n FROM keypoints').get(), before);
    catalog.close();
  });
}

test('the reference list of the lsp fixture imports to its truth (to the list precision)', async () => {
  const catalog = createProject(join(temp.dir, 'csv'), 'csv', LSP14);
  const report = await importDataset(catalog, { format: 'csv', path: join(fixturesDir, 'lsp', 'train.csv') });
  const truth = JSON.parse(readFileSync(join(fixturesDir, 'lsp', 'truth.json'), 'utf8')) as Truth;
  const lines = readFileSync(join(fixturesDir, 'lsp', 'train.csv'), 'utf8').trim().split('\n');
  assert.equal(report.instancesAdded, lines.length);
  // train.csv may list a subset; compare the examples it names, to its 6 significant digits.
  const named = new Set(lines.map((l) => basename(l.split(',')[0])));
  assertMatchesTruth(catalog, { examples: truth.examples.filter((e) => named.has(e.image)) }, 1e-3);
  catalog.close();
});

test('importing LSP into a project with another skeleton is refused before anything is read', async () => {
  const catalog = createProject(join(temp.dir, 'coco-skeleton'), 'c', COCO17);
  await assert.rejects(importDataset(catalog, { format: 'lsp', path: join(fixturesDir, 'lsp') }), /has 14 joints per person, the project's skeleton 'COCO-17' has 17/);
  await assert.rejects(importDataset(catalog, { format: 'lspet', path: join(fixturesDir, 'lsp') }), /LSPET expects 14×3×N \(this looks like --format lsp\)/);
  catalog.close();
});

test('copyImages puts content-named copies in the project and re-import still changes nothing', async () => {
  const catalog = createProject(join(temp.dir, 'copies'), 'copies', LSP14);
  await importDataset(catalog, { format: 'lsp', path: join(fixturesDir, 'lsp-compressed'), copyImages: true });
  const paths = (catalog.db.prepare('SELECT path FROM images').all() as Array<{ path: string }>).map((r) => r.path);
  assert.ok(paths.every((p) => p.startsWith(join(catalog.dir, 'images'))));
  const again = await importDataset(catalog, { format: 'lsp', path: join(fixturesDir, 'lsp-compressed'), copyImages: true });
  assert.equal(again.imagesAdded + again.instancesAdded, 0);
  catalog.close();
});
