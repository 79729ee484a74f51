// Dataset export from the project view in a real browser: the reference CSV list, the list with
// the reference preprocessing, and COCO keypoints, each written as a task to the path given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, createProjectWithImages } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const project = join(temp.dir, 'project');
const images = join(temp.dir, 'images');

before(async () => {
  mkdirSync(images);
  for (let i = 0; i < 2; i++) {
    await sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 90 * i, g: 100, b: 60 } } })
      .jpeg()
      .toFile(join(images, `im${i}.jpg`));
  }
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  await createProjectWithImages(serve, project, 'export', images);
  const list = join(temp.dir, 'labels.csv');
  const joints = Array.from({ length: 14 }, (_, j) => [120 + (j % 4) * 10, 100 + j * 6, 1]).flat();
  writeFileSync(list, `${[join(images, 'im0.jpg'), ...joints].join(',')}\n`);
  const api = await connectApi(serve);
  try {
    const { taskId } = await api.call('datasets.import', { project, format: 'csv', path: list });
    assert.equal((await api.finish(taskId)).state, 'succeeded');
  } finally {
    api.close();
  }
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('the project view exports the dataset as CSV, preprocessed CSV and COCO to the path given', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/images`);
  await page.getByText('Export dataset').first().click();
  const destination = page.getByLabel('Export destination');
  assert.equal(await destination.inputValue(), join(project, 'exports', 'dataset.csv'), 'a default inside the project');

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Exported 1 person on 1 image' }).waitFor();
  const line = readFileSync(join(project, 'exports', 'dataset.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(line.length, 1);
  assert.equal(line[0].split(',').length, 1 + 14 * 3);

  await page.getByLabel('Export format').selectOption('csv-preprocessed');
  assert.equal(await destination.inputValue(), join(project, 'exports', 'reference-256', 'train.csv'));
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'reference-256' }).waitFor();
  assert.ok(existsSync(join(project, 'exports', 'reference-256', 'train.csv')));

  await page.getByLabel('Export format').selectOption('coco');
  const cocoPath = join(temp.dir, 'project', 'elsewhere.json');
  await destination.fill(cocoPath);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'elsewhere.json' }).waitFor();
  const coco = JSON.parse(readFileSync(cocoPath, 'utf8'));
  assert.equal(coco.annotations.length, 1);
  assert.equal(coco.annotations[0].keypoints.length, 14 * 3);

  // Again to the same file: refused with the reason until "replace" is ticked.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();
  await page.getByLabel('Replace an existing file').check();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'elsewhere.json' }).waitFor();
  assert.deepEqual(
    errors.filter((e) => !e.includes('already exists')),
    [],
  );
  await page.close();
});
