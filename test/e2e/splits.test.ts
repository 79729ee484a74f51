// Splits from the UI: reassign the whole project from a seed and ratios, then move one image.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchErrors } from '../support/browser';
import { fixturesDir, makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { createProjectWithImages, waitUntil } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const project = join(temp.dir, 'project');

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
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  await createProjectWithImages(serve, project, 'splits', join(fixturesDir, 'lsp', 'images'));
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('splits are assigned from ratios in the image browser and changed per image in the workspace', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/images`);
  await page.getByText('Assign splits').first().click();
  await page.getByLabel('Train percent').fill('50');
  await page.getByLabel('Validation percent').fill('50');
  await page.getByLabel('Test percent').fill('0');
  await page.getByLabel('Split seed').fill('7');
  await page.getByRole('button', { name: 'Assign splits' }).click();
  await waitUntil('the new split', async () => splitCounts().train === 6 && splitCounts().val === 6);

  await page.getByLabel('Filter by split').selectOption('val');
  await page.getByTestId('image-total').getByText('6 images').waitFor();
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/label/1`);
  const select = page.getByLabel('Split of this image');
  await select.waitFor();
  await select.selectOption('test');
  await waitUntil('the image moved to test', async () => splitCounts().test === 1);
  assert.equal(splitCounts().train + splitCounts().val, 11);
  assert.deepEqual(errors, []);
  await page.close();
});
