// Lists laid out as the reference implementation writes them: `data/train` names
// `data/images/lsp_dataset/im0001.jpg`, relative to the folder the reference runs in, not to
// the list. They import (the list's folder, then up to 3 above, or --images-root), and a
// list exported with an images root is one the reference reads from that folder.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { exportDataset } from '../../src-main/core/datasets/export-dataset';
import { listExamples } from '../../src-main/core/catalog/examples';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir, repoRoot } from '../support/paths';

const temp = makeTempDir('deeppose-reference-layout-');
after(temp.cleanup);

const root = join(temp.dir, 'reference'); // the reference's working folder
const names = ['im0001.jpg', 'im0002.jpg'];
const joints = (k: number) => Array.from({ length: 14 }, (_, j) => [10 + j * 3 + k, 20 + j * 2, 1]);
const line = (path: string, k: number) => [path, ...joints(k).flat()].join(',');

before(async () => {
  mkdirSync(join(root, 'data', 'images', 'lsp_dataset'), { recursive: true });
  for (const [k, name] of names.entries()) {
    await sharp({ create: { width: 80 + k, height: 90, channels: 3, background: { r: 40 * k, g: 90, b: 120 } } })
      .jpeg()
      .toFile(join(root, 'data', 'images', 'lsp_dataset', name));
  }
  const list = names.map((name, k) => line(`data/images/lsp_dataset/${name}`, k)).join('\n');
  writeFileSync(join(root, 'data', 'train'), `${list}\n`);
  mkdirSync(join(temp.dir, 'elsewhere'));
  writeFileSync(join(temp.dir, 'elsewhere', 'train.csv'), `${list}\n`);
});

const imagePaths = (catalog: ReturnType<typeof createProject>) => listExamples(catalog).map((e) => e.imagePath);
const expectedPaths = names.map((name) => join(root, 'data', 'images', 'lsp_dataset', name));

test("the reference's data/train imports: its paths are found under the list's parent folder", async () => {
  const catalog = createProject(join(temp.dir, 'p1'), 'p1', LSP14);
  const report = await importDataset(catalog, { format: 'csv', path: join(root, 'data', 'train') });
  assert.equal(report.imagesAdded, 2);
  assert.deepEqual(imagePaths(catalog), expectedPaths);
  assert.deepEqual(listExamples(catalog)[1].joints[0].slice(0, 2), [11, 20]);
  catalog.close();
});

test('a list elsewhere imports with --images-root naming the folder its paths start from', async () => {
  const catalog = createProject(join(temp.dir, 'p2'), 'p2', LSP14);
  await assert.rejects(
    importDataset(catalog, { format: 'csv', path: join(temp.dir, 'elsewhere', 'train.csv') }),
    /elsewhere.*(no such file|not found|missing|cannot)/is,
  );
  const report = await importDataset(catalog, {
    format: 'csv',
    path: join(temp.dir, 'elsewhere', 'train.csv'),
    imagesRoot: root,
  });
  assert.equal(report.imagesAdded, 2);
  assert.deepEqual(imagePaths(catalog), expectedPaths);
  catalog.close();
});

test('paths that climb out of the folder they resolve against are still refused', async () => {
  mkdirSync(join(root, 'data', 'odd'));
  writeFileSync(join(root, 'data', 'odd', 'list.csv'), `${line('../images/lsp_dataset/im0001.jpg', 0)}\n`);
  const catalog = createProject(join(temp.dir, 'p3'), 'p3', LSP14);
  await assert.rejects(
    importDataset(catalog, { format: 'csv', path: join(root, 'data', 'odd', 'list.csv') }),
    /escapes the dataset folder/,
  );
  catalog.close();
});

test('export with an images root writes paths the reference opens from that folder; they import again', async () => {
  const source = createProject(join(temp.dir, 'p4'), 'p4', LSP14);
  await importDataset(source, { format: 'csv', path: join(root, 'data', 'train') });
  const out = join(root, 'data', 'exported');
  await exportDataset(source, { format: 'csv', path: out, imagesRoot: root });
  const written = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',')[0]);
  assert.deepEqual(
    written,
    names.map((name) => `data/images/lsp_dataset/${name}`),
  );
  const copy = createProject(join(temp.dir, 'p5'), 'p5', LSP14);
  await importDataset(copy, { format: 'csv', path: out });
  assert.deepEqual(
    listExamples(copy).map((e) => [e.imagePath, e.joints]),
    listExamples(source).map((e) => [e.imagePath, e.joints]),
  );
  source.close();
  copy.close();
});

test('deeppose import --images-root', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), 'import', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
  const project = join(temp.dir, 'p6');
  const ok = cli(
    '--project',
    project,
    '--format',
    'csv',
    '--images-root',
    root,
    join(temp.dir, 'elsewhere', 'train.csv'),
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /2 new images/);
  const wrong = cli('--project', project, '--format', 'lsp', '--images-root', root, join(temp.dir, 'elsewhere'));
  assert.equal(wrong.status, 2, wrong.stderr);
  assert.match(wrong.stderr, /--images-root applies to --format csv only/);
});

test("deeppose import --split-preset lsp splits the project as LSP's papers do", async () => {
  const dir = join(temp.dir, 'lsp-split');
  mkdirSync(join(dir, 'images'), { recursive: true });
  for (const [k, name] of ['im0002.jpg', 'im1002.jpg'].entries()) {
    await sharp({ create: { width: 60, height: 70 + k, channels: 3, background: { r: 10, g: 20 * k, b: 30 } } })
      .jpeg()
      .toFile(join(dir, 'images', name));
  }
  writeFileSync(join(dir, 'list.csv'), `${line('images/im0002.jpg', 0)}\n${line('images/im1002.jpg', 1)}\n`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src-main', 'cli', 'index.ts'),
      'import',
      '--project',
      join(dir, 'project'),
      '--format',
      'csv',
      '--split-preset',
      'lsp',
      join(dir, 'list.csv'),
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /split lsp: train 1 \/ val 0 \/ test 1\n/);
});
