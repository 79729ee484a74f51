import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();

before(async () => {
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('the printed URL opens the app shell, which makes an API round trip over the WebSocket', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(serve.url);
  await page.getByTestId('studio-status').getByText(/0\.1\.0 · serve/).waitFor({ timeout: 15_000 });
  await saveScreenshot(page, 'serve-shell');
  assert.deepEqual(errors, []);
  await page.close();
});

test('requests without the token, or with a wrong one, are refused', async () => {
  const bare = await fetch(`${serve.origin}/`);
  assert.equal(bare.status, 403);
  const wrong = await fetch(`${serve.origin}/?token=${'0'.repeat(serve.token.length)}`);
  assert.equal(wrong.status, 403);
  const media = await fetch(`${serve.origin}/media?path=${encodeURIComponent('/etc/hostname')}`);
  assert.equal(media.status, 403);
});

test('media requests cannot leave the allowed folders by .., URL encoding or symlinks', async () => {
  // The studio home is not a project folder, so nothing under it is served either;
  // a project folder with a link pointing outside must not leak the link's target.
  const project = join(temp.dir, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(temp.dir, 'secret.txt'), 'secret');
  symlinkSync(join(temp.dir, 'secret.txt'), join(project, 'link.jpg'));
  const auth = { headers: { Authorization: `Bearer ${serve.token}` } };
  const attempts = [
    '/etc/passwd',
    `${project}/../secret.txt`,
    `${project}/%2e%2e/secret.txt`,
    `${project}/link.jpg`,
  ];
  for (const path of attempts) {
    const response = await fetch(`${serve.origin}/media?path=${encodeURIComponent(path)}`, auth);
    assert.ok([403, 404].includes(response.status), `${path} answered ${response.status}`);
    assert.notEqual(await response.text(), 'secret');
  }
  const raw = await fetch(`${serve.origin}/..%2f..%2f..%2fetc%2fpasswd`, auth);
  assert.equal(raw.status, 404);
});
