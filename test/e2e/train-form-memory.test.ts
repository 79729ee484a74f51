// The Train form keeps the user's last settings with the project: a new tab (fresh
// sessionStorage, as after closing the browser) shows them, not the paper's AlexNet and
// 100 epochs, so pressing Train does not start a huge run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, waitUntil, type TestApi } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
let api: TestApi;
let project: string;
const temp = makeTempDir();

before(async () => {
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  api = await connectApi(serve);
  project = (
    await api.call('projects.create', {
      folder: join(temp.dir, 'project'),
      name: 'Form memory',
      skeleton: { preset: 'lsp14' },
    })
  ).path;
});

after(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

async function openTrainView(page: Page): Promise<void> {
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/train`);
  await page.getByLabel('Epochs', { exact: true }).waitFor({ timeout: 20_000 });
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

test('settings chosen in one tab come back in a fresh one, read from the project', { timeout: 90_000 }, async () => {
  const first = await browser.newContext();
  const page = await first.newPage();
  const errors = watchErrors(page);
  await openTrainView(page);
  assert.equal(await field(page, 'Epochs').inputValue(), '100', 'a new project starts from the defaults');
  await field(page, 'Architecture').selectOption('alexnet-tiny');
  await field(page, 'Optimizer').selectOption('Adam');
  await field(page, 'Epochs').fill('4');
  await field(page, 'Cascade stages').fill('2');
  // Written with the project a moment after the last change.
  await waitUntil('the settings kept with the project', async () => {
    const stored = await api.call('training.formSettings', { project });
    return stored?.epochs === 4 && stored.stages === 2 && stored;
  });
  await first.close();

  const second = await browser.newContext(); // no sessionStorage from the first tab
  const again = await second.newPage();
  await openTrainView(again);
  await waitUntil('the project settings in the form', async () => (await field(again, 'Epochs').inputValue()) === '4');
  assert.equal(await field(again, 'Architecture').inputValue(), 'alexnet-tiny');
  assert.equal(await field(again, 'Optimizer').inputValue(), 'Adam');
  assert.equal(await field(again, 'Learning rate').inputValue(), '0.001');
  assert.equal(await field(again, 'Cascade stages').inputValue(), '2');
  await saveScreenshot(again, 'train-form-memory');
  await second.close();

  const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  const row = db.prepare("SELECT value FROM project_settings WHERE key = 'train-form'").get() as { value: string };
  db.close();
  assert.equal(JSON.parse(row.value).model, 'alexnet-tiny', 'stored in the catalog, with the project');
  assert.deepEqual(errors, []);
});
