// Issue 24, item 2 in the browser door: the folder browser makes a new folder where it lists
// (and opens it, ready to choose), shows hidden folders only on request, and a folder outside
// the allowed places is refused with the way to allow it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const home = join(temp.dir, 'user');

before(async () => {
  mkdirSync(join(home, 'datasets'), { recursive: true });
  mkdirSync(join(home, '.cache-data'));
  serve = await startServe(join(temp.dir, 'studio-home'), { HOME: home });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('New folder makes and opens a folder; hidden folders show on request', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(serve.url);
  await page.getByTitle('Browse for Project folder').click();
  const dialog = page.getByRole('dialog', { name: 'Project folder' });
  await dialog.getByTestId('browser-folder').getByText(home, { exact: true }).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Open folder .cache-data' }).count(), 0, 'hidden by default');
  await dialog.getByRole('checkbox', { name: 'Show hidden folders' }).check();
  await dialog.getByRole('button', { name: 'Open folder .cache-data' }).waitFor();

  await dialog.getByRole('button', { name: 'Open folder datasets' }).click();
  await dialog.getByRole('button', { name: 'New folder' }).click();
  await dialog.getByLabel('New folder name').fill('poses 2026');
  await dialog.getByRole('button', { name: 'Create' }).click();
  const made = join(home, 'datasets', 'poses 2026');
  await dialog.getByTestId('browser-folder').getByText(made, { exact: true }).waitFor();
  assert.ok(existsSync(made));
  await saveScreenshot(page, 'folder-browser-new-folder');

  // A second folder of the same name is refused in the dialog, in one line.
  await dialog.getByRole('button', { name: 'Up one folder' }).click();
  await dialog.getByRole('button', { name: 'New folder' }).click();
  await dialog.getByLabel('New folder name').fill('poses 2026');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog
    .getByRole('alert')
    .getByText(/already exists/)
    .waitFor();

  await dialog.getByRole('button', { name: 'Cancel' }).last().click();
  assert.deepEqual(
    errors.filter((e) => !/already exists|409|Failed to load resource/.test(e)),
    [],
  );
});
