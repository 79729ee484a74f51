// Coming back to the Train view: the stored run shows its log (rebuilt from its metric rows
// and status), the settings form keeps what the user set, and the Predict view's model picker
// labels the final model with the last validation's PCK, not the best epoch's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { openCatalog } from '../../src-main/core/catalog/open-catalog';
import { addMetrics, createRun, updateRun } from '../../src-main/core/catalog/runs';
import { launchBrowser, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { createProjectWithImages } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const project = join(temp.dir, 'project');

before(async () => {
  const images = join(temp.dir, 'images');
  mkdirSync(images);
  await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 60, b: 30 } } })
    .jpeg()
    .toFile(join(images, 'a.jpg'));
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  await createProjectWithImages(serve, project, 'revisit', images);
  // A run that ended before this page opened: only the catalog knows it.
  const catalog = openCatalog(project);
  const run = createRun(catalog, { name: 'earlier', config: { model: 'alexnet-tiny', epochs: 2 }, backend: 'cpu' });
  const point = (split: 'train' | 'val', epoch: number, iteration: number, loss: number, pck: number | null) => ({
    epoch,
    iteration,
    split,
    loss,
    pck,
    imagesPerSecond: split === 'train' ? 10 : null,
    at: Date.now(),
  });
  addMetrics(catalog, run.id, [
    point('train', 1, 4, 0.8, null),
    point('val', 1, 4, 0.7, 0.6),
    point('train', 2, 8, 0.5, null),
    point('val', 2, 8, 0.6, 0.25),
  ]);
  updateRun(catalog, run.id, {
    status: 'finished',
    backend: 'cpu',
    startedAt: Date.now() - 5000,
    endedAt: Date.now(),
    bestValPck: 0.6,
    durationSeconds: 5,
  });
  catalog.close();
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('a revisited run shows its log, the settings stay as set, the picker says the last validation PCK', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const base = `${serve.url}#/p/${encodeURIComponent(project)}`;
  await page.goto(`${base}/train`);
  const log = page.locator('section[aria-label="Training log"]');
  await log.getByText('Validation after epoch 2').waitFor();
  const text = await log.innerText();
  for (const line of [
    /Started on cpu/,
    /Epoch 1 reached iteration 4/,
    /PCK 60\.0%/,
    /Finished at epoch 2, iteration 8/,
  ])
    assert.match(text, line);

  await page.getByLabel('Architecture', { exact: true }).selectOption('alexnet-small');
  await page.getByLabel('Epochs', { exact: true }).fill('7');
  await page.goto(`${base}/images`);
  await page.getByTestId('project-counts').waitFor();
  await page.goto(`${base}/train`);
  await log.getByText('Finished at epoch 2').waitFor();
  assert.equal(await page.getByLabel('Architecture', { exact: true }).inputValue(), 'alexnet-small');
  assert.equal(await page.getByLabel('Epochs', { exact: true }).inputValue(), '7');

  await page.goto(`${base}/predict`);
  const option = page.getByLabel('Model', { exact: true }).locator('option', { hasText: 'earlier: final model' });
  await option.waitFor({ state: 'attached' });
  assert.equal((await option.innerText()).trim(), 'earlier: final model · last validation PCK 25.0%');
  assert.deepEqual(errors, []);
  await page.close();
});
