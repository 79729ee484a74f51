// From the image browser: a list laid out as the reference writes it (`data/train` naming
// `data/images/lsp_dataset/…`) imports, one elsewhere imports with an images root, and
// Assign splits applies LSP's standard split by file name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, waitUntil } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const project = join(temp.dir, 'project');
const root = join(temp.dir, 'reference');
const names = ['im0001.jpg', 'im0002.jpg', 'im1001.jpg'];
const line = (path: string, k: number) =>
  [path, ...Array.from({ length: 14 }, (_, j) => [5 + j * 3 + k, 10 + j * 2, 1]).flat()].join(',');

function splitCounts(): Record<string, number> {
  const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT split, COUNT(*) AS n FROM images GROUP BY split').all() as {
      split: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.split, r.n]));
  } finally {
    db.close();
  }
}

before(async () => {
  mkdirSync(join(root, 'data', 'images', 'lsp_dataset'), { recursive: true });
  for (const [k, name] of names.entries()) {
    await sharp({ create: { width: 70 + k, height: 80, channels: 3, background: { r: 30 * k, g: 80, b: 40 } } })
      .jpeg()
      .toFile(join(root, 'data', 'images', 'lsp_dataset', name));
  }
  writeFileSync(
    join(root, 'data', 'train'),
    names
      .slice(0, 2)
      .map((n, k) => line(`data/images/lsp_dataset/${n}`, k))
      .join('\n'),
  );
  mkdirSync(join(temp.dir, 'elsewhere'));
  writeFileSync(join(temp.dir, 'elsewhere', 'test.csv'), line(`data/images/lsp_dataset/${names[2]}`, 2));
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  const api = await connectApi(serve);
  await api.call('projects.create', { folder: project, name: 'reference', skeleton: { preset: 'lsp14' } });
  api.close();
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test("the reference's lists import from the page, and LSP's standard split is one click", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/images`);
  const form = page.getByRole('form', { name: 'Import' });
  await form.getByLabel('Import format').selectOption('csv');
  await form.getByLabel('Import path').fill(join(root, 'data', 'train'));
  await form.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('status').getByText('Imported 2 images').waitFor();

  await form.getByLabel('Import path').fill(join(temp.dir, 'elsewhere', 'test.csv'));
  await form.getByLabel('Images root', { exact: true }).fill(root);
  await form.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('status').getByText('Imported 1 image ').waitFor();
  assert.equal(splitCounts().train, 3);

  await page.getByText('Assign splits').first().click();
  await page.getByLabel('Split kind').selectOption('lsp');
  await page.getByRole('button', { name: 'Assign splits' }).click();
  await waitUntil('the LSP split', async () => splitCounts().train === 2 && splitCounts().test === 1);
  await page.getByText('LSP standard split: train 2 / val 0 / test 1.').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
