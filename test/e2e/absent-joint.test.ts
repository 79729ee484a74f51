// An explicit 'absent / out of frame' joint: X in the labeling workspace marks the selected
// joint absent; the image then counts as done (N no longer returns to it), the catalog keeps the
// reason, and the exports write the joint as v = 0 (COCO and the reference list).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { fixturesDir, makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, waitUntil, type TestApi } from '../support/ws-client';
import { STANDING_FIGURE } from '../support/standing-figure';

let serve: ServeProcess;
let browser: Browser;
let api: TestApi;
let project: string;
const temp = makeTempDir();
const ABSENT = 13; // head top, cut off by the picture's edge

async function finished(taskId: string) {
  const task = await waitUntil('the task', async () => {
    const t = await api.call('tasks.get', { id: taskId });
    return t.state !== 'running' && t;
  });
  assert.equal(task.state, 'succeeded', task.error ?? '');
  return task;
}

before(async () => {
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  api = await connectApi(serve);
  project = (
    await api.call('projects.create', {
      folder: join(temp.dir, 'project'),
      name: 'Absent joints',
      skeleton: { preset: 'lsp14' },
    })
  ).path;
  await finished(
    (await api.call('datasets.import', { project, format: 'folder', path: join(fixturesDir, 'lsp', 'images') })).taskId,
  );
});

after(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

async function placeAll(page: Page, count: number): Promise<void> {
  const canvas = page.getByRole('application', { name: 'Annotation canvas' });
  // No named functions inside: the page does not have the helper tsx names them with.
  const { left, top, scale, tx, ty, width, height } = await canvas.evaluate((svg) => {
    const rect = svg.getBoundingClientRect();
    const [scale, tx, ty, width, height] = [
      'data-scale',
      'data-tx',
      'data-ty',
      'data-image-width',
      'data-image-height',
    ].map((name) => Number(svg.getAttribute(name)));
    return { left: rect.left, top: rect.top, scale, tx, ty, width, height };
  });
  for (const [fx, fy] of STANDING_FIGURE.slice(0, count))
    await page.mouse.click(left + tx + fx * width * scale, top + ty + fy * height * scale);
}

test('X marks a joint absent: the image is done, N skips it, exports write v = 0', { timeout: 90_000 }, async () => {
  const { items } = await api.call('images.list', { project });
  const image = items[0];
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const errors = watchErrors(page);
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/label/${image.id}`);
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  await placeAll(page, ABSENT);
  await page.keyboard.press('s'); // the joint after the last one placed
  await page.keyboard.press('x');
  const row = page.locator(`[data-joint-row="${ABSENT}"]`);
  await row.and(page.locator('[data-state="absent"]')).waitFor({ timeout: 5000 });
  await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });
  await saveScreenshot(page, 'absent-joint');

  const listed = (await api.call('images.list', { project })).items.find((i) => i.id === image.id)!;
  assert.equal(listed.status, 'labeled', 'thirteen joints placed and one absent is a done image');
  assert.equal(listed.labeledJoints, 14);
  const { imageId: next } = await api.call('images.nextUnlabeled', { project, after: items.at(-1)!.id });
  assert.notEqual(next, image.id, 'N does not return to it');

  const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  const stored = db
    .prepare(
      'SELECT k.visibility, k.absent FROM keypoints k JOIN instances n ON n.id = k.instance_id WHERE n.image_id = ? AND k.joint = ?',
    )
    .get(image.id, ABSENT);
  db.close();
  assert.deepEqual(stored, { visibility: 0, absent: 'out-of-frame' });

  const coco = join(project, 'exports', 'people.json');
  await finished((await api.call('datasets.export', { project, format: 'coco', path: coco })).taskId);
  const annotation = JSON.parse(readFileSync(coco, 'utf8')).annotations[0];
  assert.deepEqual(annotation.keypoints.slice(3 * ABSENT), [0, 0, 0]);
  assert.equal(annotation.num_keypoints, 13);
  const csv = join(project, 'exports', 'people.csv');
  await finished((await api.call('datasets.export', { project, format: 'csv', path: csv })).taskId);
  assert.deepEqual(readFileSync(csv, 'utf8').trim().split(',').slice(-3), ['0', '0', '0']);

  // X again: not labeled, and the image is partial once more.
  await page.keyboard.press('x');
  await row.and(page.locator('[data-state="not labeled"]')).waitFor({ timeout: 5000 });
  await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });
  assert.equal((await api.call('images.list', { project })).items.find((i) => i.id === image.id)!.status, 'partial');
  assert.deepEqual(errors, []);
});
