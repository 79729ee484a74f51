// The task tray gets out of the way: ended tasks are dismissed one by one or all at once, the
// tray folds to one line, counts read "1 task", and a link in the header goes back to the
// project list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { createProjectWithImages } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const project = join(temp.dir, 'project');
const images = join(temp.dir, 'images');

before(async () => {
  mkdirSync(images);
  await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 20, b: 30 } } })
    .png()
    .toFile(join(images, 'one.png'));
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  await createProjectWithImages(serve, project, 'tray', images);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('ended tasks can be dismissed, the tray folds, and the header leads back to the projects', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/images`);
  await page.getByTestId('project-counts').getByText('1 image · 0 persons').waitFor();
  const tray = page.getByRole('region', { name: 'Tasks' });
  const importTask = tray.getByLabel(/^Task Import folder/);
  await importTask.waitFor();
  await tray.getByText('0 tasks running, 1 ended').waitFor();

  await tray.getByRole('button', { name: 'Hide tasks' }).click();
  await importTask.waitFor({ state: 'detached' });
  await tray.getByRole('button', { name: 'Show tasks' }).click();
  await importTask.waitFor();

  await tray.getByRole('button', { name: /^Dismiss Import folder/ }).click();
  await tray.waitFor({ state: 'detached' });

  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Projects' }).click();
  await page.waitForURL(/#\/$/);
  assert.deepEqual(errors, []);
  await page.close();
});
