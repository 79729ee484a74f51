// Browse beside a path field in the browser door: the studio's folder browser opens at the
// home folder, walks into folders, and hands the chosen folder or file back to the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { createProjectWithImages } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const home = join(temp.dir, 'user');

before(async () => {
  mkdirSync(join(home, 'datasets', 'batch-1'), { recursive: true });
  mkdirSync(join(home, 'labels'));
  mkdirSync(join(home, 'images'));
  writeFileSync(join(home, 'labels', 'list.csv'), '');
  writeFileSync(join(home, 'labels', 'notes.md'), '');
  await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 100, b: 60 } } })
    .jpeg()
    .toFile(join(home, 'images', 'a.jpg'));
  // The studio starts browsing at the user's home folder: this test's own.
  serve = await startServe(join(temp.dir, 'studio-home'), { HOME: home });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('Browse opens the folder browser at home; picking a folder fills the field, and typing still works', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(serve.url);
  const field = page.getByLabel('Project folder', { exact: true });
  await page.getByTitle('Browse for Project folder').click();
  const dialog = page.getByRole('dialog', { name: 'Project folder' });
  await dialog.getByTestId('browser-folder').getByText(home, { exact: true }).waitFor();
  assert.ok(await dialog.getByRole('button', { name: 'Up one folder' }).isDisabled(), 'nothing above home to browse');
  await dialog.getByRole('button', { name: 'Open folder datasets' }).click();
  await dialog.getByRole('button', { name: 'Open folder batch-1' }).click();
  await dialog
    .getByTestId('browser-folder')
    .getByText(join(home, 'datasets', 'batch-1'), { exact: true })
    .waitFor();
  await saveScreenshot(page, 'path-picker-folder');
  await dialog.getByRole('button', { name: 'Choose this folder' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await field.inputValue(), join(home, 'datasets', 'batch-1'));

  // Cancel leaves the field alone; typing a path still works.
  await page.getByTitle('Browse for Project folder').click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await field.inputValue(), join(home, 'datasets', 'batch-1'));
  await field.fill(join(home, 'typed'));
  assert.equal(await field.inputValue(), join(home, 'typed'));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the import path's Browse offers the format's files and fills the field with the file picked", async () => {
  const project = join(home, 'project');
  await createProjectWithImages(serve, project, 'picker', join(home, 'images'));
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/images`);
  await page.getByLabel('Import format').selectOption('csv');
  await page.getByTitle('Browse for Import path').click();
  const dialog = page.getByRole('dialog', { name: 'Import path' });
  await dialog.getByRole('button', { name: 'Open folder labels' }).click();
  assert.equal(await dialog.getByRole('button', { name: 'File notes.md' }).count(), 0, 'only CSV lists are offered');
  await dialog.getByRole('button', { name: 'File list.csv' }).click();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  assert.equal(await page.getByLabel('Import path').inputValue(), join(home, 'labels', 'list.csv'));
  assert.deepEqual(errors, []);
  await page.close();
});
