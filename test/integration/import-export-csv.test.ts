import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { exportDataset } from '../../src-main/core/datasets/export-dataset';
import { listExamples } from '../../src-main/core/catalog/examples';
import { planCrop } from '../../src-main/core/formats/reference-preprocess';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

test('reference list export, then import, gives the same keypoints', async () => {
  const catalog = createProject(join(temp.dir, 'source'), 'source', LSP14);
  await importDataset(catalog, { format: 'lspet', path: join(fixturesDir, 'lspet') });
  mkdirSync(join(temp.dir, 'plain'));
  const list = join(temp.dir, 'plain', 'list.csv');
  const report = await exportDataset(catalog, { format: 'csv', path: list });
  assert.equal(report.instances, 9);
  assert.equal(readFileSync(list, 'utf8').trim().split('\n').length, 9);
  assert.deepEqual(readdirSync(join(temp.dir, 'plain')), ['list.csv']); // no temp file left behind

  const copy = createProject(join(temp.dir, 'copy'), 'copy', LSP14);
  await importDataset(copy, { format: 'csv', path: list });
  const strip = (examples: ReturnType<typeof listExamples>) =>
    examples.map((e) => ({ path: e.imagePath, joints: e.joints }));
  assert.deepEqual(strip(listExamples(copy)), strip(listExamples(catalog)));
  catalog.close();
  copy.close();
});

test('with the reference preprocessing: 256 crops beside the list, joints in crop pixels, wide poses dropped', async () => {
  const catalog = createProject(join(temp.dir, 'prep'), 'prep', LSP14);
  await importDataset(catalog, { format: 'lsp', path: join(fixturesDir, 'lsp') });
  const examples = listExamples(catalog);
  const kept = examples.filter((e) => !('drop' in planCrop(e.joints, e.width, e.height)));
  assert.ok(kept.length > 0 && kept.length < examples.length, 'the fixture has examples on both sides of the rule');

  const out = join(temp.dir, 'prep-out');
  mkdirSync(out);
  const report = await exportDataset(catalog, { format: 'csv', path: join(out, 'train.csv'), preprocess: true });
  assert.equal(report.instances, kept.length);
  assert.equal(report.dropped, examples.length - kept.length);
  const lines = readFileSync(join(out, 'train.csv'), 'utf8').trim().split('\n');
  for (const [i, line] of lines.entries()) {
    const [path, ...numbers] = line.split(',');
    const crop = await sharp(join(out, path)).metadata();
    assert.deepEqual([crop.width, crop.height], [256, 256]);
    const example = kept[i];
    const plan = planCrop(example.joints, example.width, example.height) as { left: number; top: number };
    example.joints.forEach(([x, y, v], j) => {
      assert.ok(Math.abs(Number(numbers[3 * j]) - (x - plan.left)) < 1e-9);
      assert.ok(Math.abs(Number(numbers[3 * j + 1]) - (y - plan.top)) < 1e-9);
      assert.equal(Number(numbers[3 * j + 2]), v === 2 ? 1 : 0);
      if (v > 0) assert.ok(x - plan.left >= 0 && x - plan.left < 256 && y - plan.top >= 0 && y - plan.top < 256);
    });
  }
  // The pixels are the image's, moved by the crop offset: compare one pixel inside both.
  const first = kept[0];
  const plan = planCrop(first.joints, first.width, first.height) as { left: number; top: number };
  const [jx, jy] = first.joints.find(([, , v]) => v > 0)!;
  const [px, py] = [Math.round(jx), Math.round(jy)];
  const source = await sharp(first.imagePath).extract({ left: px, top: py, width: 1, height: 1 }).raw().toBuffer();
  const cropped = await sharp(join(out, lines[0].split(',')[0]))
    .extract({ left: px - plan.left, top: py - plan.top, width: 1, height: 1 })
    .raw()
    .toBuffer();
  for (let c = 0; c < 3; c++)
    assert.ok(Math.abs(source[c] - cropped[c]) <= 12, `channel ${c}: ${source[c]} vs ${cropped[c]}`);
  catalog.close();
});

test('the drop rule: joints outside the image or spanning more than 227 pixels', () => {
  const inside: [number, number, 0 | 1 | 2][] = [
    [10, 10, 2],
    [100, 100, 1],
    [0, 0, 0],
  ];
  assert.deepEqual(planCrop(inside, 200, 200), { left: Math.round(55 - 128), top: Math.round(55 - 128) });
  assert.match(
    (
      planCrop(
        [
          [10, 10, 2],
          [240, 20, 2],
        ],
        300,
        300,
      ) as { drop: string }
    ).drop,
    /span more than 227/,
  );
  assert.match((planCrop([[10, -1, 2]], 300, 300) as { drop: string }).drop, /outside the image/);
  assert.match((planCrop([[10, 10, 0]], 300, 300) as { drop: string }).drop, /no labeled joint/);
});
