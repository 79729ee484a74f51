// The workspace shows what the catalog holds: labels imported for an image already visited
// appear when the user comes back (no stale "No person on this image yet", no duplicate person
// made by the next click), and an import that ends while the image is open shows at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, createProjectWithImages, waitUntil } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const project = join(temp.dir, 'project');
const images = join(temp.dir, 'images');
const joints = (dx: number) => Array.from({ length: 14 }, (_, j) => [30 + dx + j * 5, 20 + j * 8, 1]).flat();

function instancesOn(fileName: string): number {
  const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  try {
    return (
      db
        .prepare('SELECT COUNT(*) AS n FROM instances n JOIN images i ON i.id = n.image_id WHERE i.path LIKE ?')
        .get(`%${fileName}`) as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

async function importList(name: string, lines: string[]): Promise<void> {
  const list = join(temp.dir, name);
  writeFileSync(list, `${lines.join('\n')}\n`);
  const api = await connectApi(serve);
  try {
    const { taskId } = await api.call('datasets.import', { project, format: 'csv', path: list });
    assert.equal((await api.finish(taskId)).state, 'succeeded');
  } finally {
    api.close();
  }
}

async function imageIdOf(fileName: string): Promise<number> {
  const api = await connectApi(serve);
  try {
    return (await api.call('images.list', { project, search: fileName })).items[0].id;
  } finally {
    api.close();
  }
}

const goTo = (page: Page, imageId: number) =>
  page.evaluate((hash) => (location.hash = hash), `#/p/${encodeURIComponent(project)}/label/${imageId}`);

before(async () => {
  mkdirSync(images);
  for (let i = 0; i < 3; i++) {
    await sharp({ create: { width: 160, height: 200, channels: 3, background: { r: 60 * i, g: 120, b: 90 } } })
      .jpeg()
      .toFile(join(images, `im${i}.jpg`));
  }
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  await createProjectWithImages(serve, project, 'after-import', images);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('labels imported for an image already visited show when the user comes back, and a click adds no second person', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const first = await imageIdOf('im0.jpg');
  const second = await imageIdOf('im1.jpg');
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/label/${first}`);
  await page.getByText('No person on this image yet').waitFor();
  await goTo(page, second);
  await page.getByText('No person on this image yet').waitFor();

  await importList('first.csv', [[join(images, 'im0.jpg'), ...joints(0)].join(',')]);
  await goTo(page, first);
  await page.getByText('No person on this image yet').waitFor({ state: 'detached' });
  await page.getByRole('application', { name: 'Annotation canvas' }).click({ position: { x: 20, y: 20 } });
  await new Promise((r) => setTimeout(r, 1000)); // past the autosave's debounce
  assert.equal(instancesOn('im0.jpg'), 1, 'still one person on the image');

  // While an image is open, an import that labels it shows at once.
  await goTo(page, second);
  await page.getByText('No person on this image yet').waitFor();
  await importList('second.csv', [[join(images, 'im1.jpg'), ...joints(4)].join(',')]);
  await page.getByText('No person on this image yet').waitFor({ state: 'detached' });
  await waitUntil('one person on the open image', async () => instancesOn('im1.jpg') === 1);
  assert.deepEqual(errors, []);
  await page.close();
});
