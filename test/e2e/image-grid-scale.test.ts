// The image browser with thousands of images: 3000 distinct generated pictures imported into a
// project; the grid keeps only the rows in view in the DOM, loads the far end's page when it
// is scrolled to, and opens an image from there in the annotation workspace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { createProjectWithImages } from '../support/ws-client';

const COUNT = 3000;
let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const project = join(temp.dir, 'project');
const name = (i: number) => `${String(i).padStart(5, '0')}.png`;

before(async () => {
  // Small, distinct pictures (the catalog de-duplicates by content).
  const folder = join(temp.dir, 'images');
  mkdirSync(folder);
  for (let i = 0; i < COUNT; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, COUNT - i) }, (_, k) => {
        const n = i + k;
        return sharp({
          create: { width: 64, height: 48, channels: 3, background: { r: n % 256, g: (n >> 8) % 256, b: 128 } },
        })
          .png()
          .toFile(join(folder, name(n)));
      }),
    );
  }
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  await createProjectWithImages(serve, project, 'many', folder);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test(
  `the grid stays light with ${COUNT} images, reaches the last one, and opens it`,
  { timeout: 120_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/images`);
    await page.getByTestId('image-total').getByText(`${COUNT} images`).waitFor({ timeout: 30_000 });
    const grid = page.getByRole('list', { name: 'Images' });
    await grid.getByRole('button', { name: `Open ${name(0)}` }).waitFor();
    const tiles = grid.getByRole('listitem');
    const firstScreen = await tiles.count();
    assert.ok(firstScreen > 0 && firstScreen < 150, `${firstScreen} tiles in the DOM for ${COUNT} images`);

    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const last = grid.getByRole('button', { name: `Open ${name(COUNT - 1)}` });
    await last.waitFor({ timeout: 20_000 });
    assert.ok((await tiles.count()) < 150, 'scrolled to the end, still only the rows in view');
    assert.equal(
      await grid.getByRole('button', { name: `Open ${name(0)}` }).count(),
      0,
      'the first rows have left the DOM',
    );
    // Its thumbnail is made and served on demand: the picture arrives, with the image's colour.
    const thumb = last.locator('img');
    await page.waitForFunction(
      (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
      await thumb.elementHandle(),
      { timeout: 20_000 },
    );
    const colour = await thumb.evaluate((img: HTMLImageElement) => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(img, 0, 0);
      return Array.from(context.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data.slice(0, 3));
    });
    const n = COUNT - 1;
    const expected = [n % 256, (n >> 8) % 256, 128];
    assert.ok(
      colour.every((c, k) => Math.abs(c - expected[k]) <= 3),
      `thumbnail colour ${colour}, image colour ${expected}`,
    );
    await saveScreenshot(page, 'image-grid-3000');

    await last.click();
    await page.waitForURL(/\/label\//);
    await page
      .getByText(name(COUNT - 1))
      .first()
      .waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  },
);
