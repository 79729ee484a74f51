import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { fixturesDir, makeTempDir } from '../support/paths';
import { connectApi, createProjectWithImages } from '../support/ws-client';
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
  page.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
  await page.goto(serve.url);
  await page
    .getByTestId('studio-status')
    .getByText(/0\.1\.0 · serve/)
    .waitFor({ timeout: 15_000 });
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

test('media requests are served from an open project and its image folders, and cannot leave them by .., URL encoding or symlinks', async () => {
  const project = join(temp.dir, 'project');
  await createProjectWithImages(serve, project, 'media', join(fixturesDir, 'lsp', 'images'));
  writeFileSync(join(temp.dir, 'secret.txt'), 'secret');
  symlinkSync(join(temp.dir, 'secret.txt'), join(project, 'link.jpg'));
  const auth = { headers: { Authorization: `Bearer ${serve.token}` } };

  const image = join(fixturesDir, 'lsp', 'images', 'im0001.jpg');
  const served = await fetch(`${serve.origin}/media?path=${encodeURIComponent(image)}`, auth);
  assert.equal(served.status, 200);
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), readFileSync(image));
  const thumb = await fetch(`${serve.origin}/media?path=${encodeURIComponent(image)}&variant=thumb`, auth);
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get('content-type'), 'image/jpeg');

  const attempts = [
    '/etc/passwd',
    `${project}/../secret.txt`,
    `${project}/%2e%2e/secret.txt`,
    `${project}/%2e%2e%2fsecret.txt`,
    join(project, 'link.jpg'),
  ];
  for (const path of attempts) {
    const response = await fetch(`${serve.origin}/media?path=${encodeURIComponent(path)}`, auth);
    assert.ok([403, 404].includes(response.status), `${path} answered ${response.status}`);
    assert.notEqual(await response.text(), 'secret');
  }
  const raw = await fetch(`${serve.origin}/..%2f..%2f..%2fetc%2fpasswd`, auth);
  assert.equal(raw.status, 404);
});

test('the WebSocket API refuses connections without the token', async () => {
  await assert.rejects(connectApi({ origin: serve.origin, token: 'not-the-token' }));
});
