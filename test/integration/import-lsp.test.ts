import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { listExamples } from '../../src-main/core/catalog/examples';
import type { Catalog } from '../../src-main/core/catalog/open-catalog';
import type { ImportFormat } from '../../src-shared/api/catalog.contract';
import { COCO17, LSP14 } from '../../src-shared/domain/skeleton';
import { fixtureSources, fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

interface Truth {
  examples: Array<{ image: string; joints: [number, number, number][] }>;
}

/**
 * Truth says 1 = visible; every fixture joint is labeled. LSP's flag makes invisible ones occluded (1);
 * LSPET's and the reference list's do too inside the image, but an invisible point outside it is a
 * placeholder there, so not labeled (0): the generated fixtures have such points, cut by the frame.
 */
function assertMatchesTruth(catalog: Catalog, truth: Truth, tolerance: number, flag: 'occluded' | 'visible'): void {
  const examples = listExamples(catalog);
  assert.equal(examples.length, truth.examples.length);
  for (const expected of truth.examples) {
    const found = examples.filter((e) => basename(e.imagePath) === expected.image);
    assert.equal(found.length, 1, `${expected.image} imported once`);
    const { width, height } = found[0];
    found[0].joints.forEach(([x, y, v], j) => {
      const [tx, ty, tv] = expected.joints[j];
      const inside = tx >= 0 && ty >= 0 && tx < width && ty < height;
      const labeled = tv === 1 || flag === 'occluded' || inside;
      if (labeled)
        assert.ok(
          Math.abs(x - tx) <= tolerance && Math.abs(y - ty) <= tolerance,
          `${expected.image} joint ${j}: (${x}, ${y}) vs (${tx}, ${ty})`,
        );
      assert.equal(v, tv === 1 ? 2 : labeled ? 1 : 0, `${expected.image} joint ${j} visibility`);
    });
  }
}

// The project's own fixtures, and the independent tools' ones as a cross-check where present.
for (const source of fixtureSources) {
  for (const [name, format] of [
    ['lsp', 'lsp'],
    ['lsp-compressed', 'lsp'],
    ['lspet', 'lspet'],
  ] as const) {
    test(
      `${name} (${source.label} fixture) imports to the keypoints of its truth.json`,
      { skip: source.skip },
      async () => {
        const catalog = createProject(join(temp.dir, `${source.label}-${name}`), name, LSP14);
        const report = await importDataset(catalog, { format: format as ImportFormat, path: join(source.dir, name) });
        const truth = JSON.parse(readFileSync(join(source.dir, name, 'truth.json'), 'utf8')) as Truth;
        assert.equal(report.imagesAdded, truth.examples.length);
        assert.equal(report.instancesAdded, truth.examples.length);
        assertMatchesTruth(catalog, truth, 1e-6, format === 'lsp' ? 'occluded' : 'visible');

        const before = catalog.db.prepare('SELECT COUNT(*) AS n FROM keypoints').get();
        const again = await importDataset(catalog, {
          format: format as ImportFormat,
          path: join(source.dir, name, 'joints.mat'),
        });
        assert.equal(again.imagesAdded + again.instancesAdded, 0);
        assert.equal(again.instancesAlreadyPresent, truth.examples.length);
        assert.deepEqual(catalog.db.prepare('SELECT COUNT(*) AS n FROM keypoints').get(), before);
        catalog.close();
      },
    );
  }

  test(
    `the reference list of the lsp fixture (${source.label}) imports to its truth (to the list precision)`,
    { skip: source.skip },
    async () => {
      const catalog = createProject(join(temp.dir, `${source.label}-csv`), 'csv', LSP14);
      const report = await importDataset(catalog, { format: 'csv', path: join(source.dir, 'lsp', 'train.csv') });
      const truth = JSON.parse(readFileSync(join(source.dir, 'lsp', 'truth.json'), 'utf8')) as Truth;
      const lines = readFileSync(join(source.dir, 'lsp', 'train.csv'), 'utf8')
        .trim()
        .split('\n');
      assert.equal(report.instancesAdded, lines.length);
      // train.csv may list a subset; compare the examples it names, to its 6 significant digits.
      const named = new Set(lines.map((l) => basename(l.split(',')[0])));
      assertMatchesTruth(catalog, { examples: truth.examples.filter((e) => named.has(e.image)) }, 1e-3, 'visible');
      catalog.close();
    },
  );
}

test('importing LSP into a project with another skeleton is refused before anything is read', async () => {
  const catalog = createProject(join(temp.dir, 'coco-skeleton'), 'c', COCO17);
  await assert.rejects(
    importDataset(catalog, { format: 'lsp', path: join(fixturesDir, 'lsp') }),
    /has 14 joints per person, the project's skeleton 'COCO-17' has 17/,
  );
  await assert.rejects(
    importDataset(catalog, { format: 'lspet', path: join(fixturesDir, 'lsp') }),
    /LSPET expects 14×3×N \(this looks like --format lsp\)/,
  );
  catalog.close();
});

test('copyImages puts content-named copies in the project and re-import still changes nothing', async () => {
  const catalog = createProject(join(temp.dir, 'copies'), 'copies', LSP14);
  await importDataset(catalog, { format: 'lsp', path: join(fixturesDir, 'lsp-compressed'), copyImages: true });
  const paths = (catalog.db.prepare('SELECT path FROM images').all() as Array<{ path: string }>).map((r) => r.path);
  assert.ok(paths.every((p) => p.startsWith(join(catalog.dir, 'images'))));
  const again = await importDataset(catalog, {
    format: 'lsp',
    path: join(fixturesDir, 'lsp-compressed'),
    copyImages: true,
  });
  assert.equal(again.imagesAdded + again.instancesAdded, 0);
  catalog.close();
});
