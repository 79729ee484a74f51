import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { integrityCheck, type Catalog } from '../../src-main/core/catalog/open-catalog';
import type { ImportFormat } from '../../src-shared/api/catalog.contract';
import { StudioError } from '../../src-shared/api/define';
import { COCO17, LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);
const badDir = join(fixturesDir, 'bad');

/** The importer that fits each bad fixture, and the specific error it must give. */
const expectations: Record<string, { format: ImportFormat; error: RegExp[] }> = {
  'bad-rows.csv': {
    format: 'csv',
    error: [
      /bad-rows\.csv line 1: 6 columns, expected 43/,
      /bad-rows\.csv line 2: column 2 \(joint 0\) is not a finite number/,
      /bad-rows\.csv line 3: image path '\.\.\/\.\.\/etc\/passwd' escapes the dataset folder/,
      /bad-rows\.csv line 4: .*missing\.jpg: image file not found/,
    ],
  },
  'bomb.png': {
    format: 'folder',
    error: [
      /bomb\.png: claims 40000×40000 pixels \(1600 megapixels\), above the limit of 100 megapixels; refused without decoding/,
    ],
  },
  'empty.png': { format: 'folder', error: [/empty\.png: empty file, not an image/] },
  'not-an-image.jpg': { format: 'folder', error: [/not-an-image\.jpg: not a JPEG: it is plain text/] },
  'truncated.jpg': { format: 'folder', error: [/truncated\.jpg: damaged image data \(.*premature end/] },
  'truncated.json': { format: 'coco', error: [/truncated\.json: not valid JSON/] },
  'inconsistent-coco.json': {
    format: 'coco',
    error: [/inconsistent-coco\.json: category 'person' lists keypoint 'a' more than once/],
  },
  'garbage.mat': { format: 'lsp', error: [/garbage\.mat: not a MATLAB 5 MAT-file/] },
  'no-joints-var.mat': {
    format: 'lsp',
    error: [/no-joints-var\.mat: no variable 'joints' in the MAT-file \(variables found: 'something_else'\)/],
  },
  'wrong-shape.mat': { format: 'lsp', error: [/wrong-shape\.mat: variable 'joints' is 5×7×3; LSP expects 3×14×N/] },
};

let lspCatalog: Catalog;
let cocoCatalog: Catalog;
before(async () => {
  lspCatalog = createProject(join(temp.dir, 'lsp'), 'lsp', LSP14);
  await importDataset(lspCatalog, { format: 'lsp', path: join(fixturesDir, 'lsp-compressed') });
  cocoCatalog = createProject(join(temp.dir, 'coco'), 'coco', COCO17);
  await importDataset(cocoCatalog, { format: 'coco', path: join(fixturesDir, 'coco', 'person_keypoints.json') });
});
after(() => {
  lspCatalog.close();
  cocoCatalog.close();
});

function state(catalog: Catalog) {
  const tables = [
    'skeletons',
    'project',
    'images',
    'instances',
    'keypoints',
    'runs',
    'metrics',
    'prediction_sets',
    'predictions',
  ];
  const counts = Object.fromEntries(
    tables.map((t) => [t, (catalog.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
  return { counts, integrity: integrityCheck(catalog) };
}

test('every bad fixture has an expectation here', () => {
  assert.deepEqual(readdirSync(badDir).sort(), Object.keys(expectations).sort());
});

for (const [file, { format, error }] of Object.entries(expectations)) {
  test(`${file} fails with a named, specific error and changes nothing`, async () => {
    const catalog = format === 'coco' ? cocoCatalog : lspCatalog;
    const before = state(catalog);
    assert.ok(before.counts.keypoints > 0);
    await assert.rejects(importDataset(catalog, { format, path: join(badDir, file) }), (thrown: unknown) => {
      assert.ok(thrown instanceof StudioError, String(thrown));
      assert.equal(thrown.kind, 'bad-input');
      for (const pattern of error) assert.match(thrown.message, pattern);
      return true;
    });
    assert.deepEqual(state(catalog), before);
    assert.equal(before.integrity, 'ok');
  });
}

test('bad records fail the whole import unless skipped; skipped ones are reported by line', async () => {
  const lspImages = join(fixturesDir, 'lsp', 'images');
  const good = readFileSync(join(fixturesDir, 'lsp', 'train.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 3)
    .map((line) => line.replace(/^images\//, `${lspImages}/`));
  const list = join(temp.dir, 'mixed.csv');
  writeFileSync(
    list,
    [good[0], 'nope.jpg,1,2', good[1], `${join(lspImages, 'absent.jpg')}${',1'.repeat(42)}`, good[2], ''].join('\n'),
  );
  const catalog = createProject(join(temp.dir, 'mixed'), 'mixed', LSP14);
  const before = state(catalog);
  await assert.rejects(
    importDataset(catalog, { format: 'csv', path: list }),
    /2 problems[\s\S]*mixed\.csv line 2: 3 columns[\s\S]*mixed\.csv line 4: .*absent\.jpg: image file not found/,
  );
  assert.deepEqual(state(catalog), before);
  const report = await importDataset(catalog, { format: 'csv', path: list, skipBadRecords: true });
  assert.equal(report.instancesAdded, 3);
  assert.equal(report.skippedBadRecords, 2);
  assert.deepEqual(
    report.problems.map((p) => p.record),
    ['line 2', 'line 4'],
  );
  catalog.close();
});

test('COCO annotations pointing at missing images or with the wrong keypoint count are reported per annotation', async () => {
  const doc = JSON.parse(readFileSync(join(fixturesDir, 'coco', 'person_keypoints.json'), 'utf8'));
  doc.annotations[0].image_id = 999;
  doc.annotations[1].keypoints = [1, 2, 2];
  doc.annotations[2].keypoints[5] = 3;
  doc.images[5].width = 1;
  // Written elsewhere, so image names become absolute paths to the fixture images.
  const edited = join(temp.dir, 'edited-coco.json');
  const images = doc.images.map((i: { file_name: string }) => ({
    ...i,
    file_name: join(fixturesDir, 'coco', 'images', i.file_name),
  }));
  writeFileSync(edited, JSON.stringify({ ...doc, images }));
  const catalog = createProject(join(temp.dir, 'coco-records'), 'c', COCO17);
  await assert.rejects(importDataset(catalog, { format: 'coco', path: edited }), (thrown: unknown) => {
    const message = (thrown as Error).message;
    assert.match(message, /edited-coco\.json annotation 1: image_id 999 is not in 'images'/);
    assert.match(message, /annotation 2: 'keypoints' has 3 numbers, expected 51/);
    assert.match(message, /annotation 3: keypoint 1 \('left_eye'\): v must be 0, 1 or 2, got 3/);
    assert.match(message, /image 6: states 1×395 but .* is 278×395/);
    return true;
  });
  assert.equal((catalog.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n, 0);
  catalog.close();
});
