// The Box tool end to end: the built `serve`, Debian chromium, a person box drawn on an
// unlabeled image, resized by its corner, undone and redone, cleared and restored, and each
// state read back from the catalog file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { fixturesDir, makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let errors: string[] = [];
const temp = makeTempDir();
const projectDir = join(temp.dir, 'project');

type Point = { x: number; y: number };
type BoxRow = { box_x: number | null; box_y: number | null; box_w: number | null; box_h: number | null };

const canvas = (): Locator => page.getByRole('application', { name: 'Annotation canvas' });
const boxRect = (): Locator => page.locator('rect[data-box-instance]');

async function toScreen(p: Point): Promise<Point> {
  const view = await canvas().evaluate((svg) => {
    const rect = svg.getBoundingClientRect();
    return {
      scale: Number(svg.getAttribute('data-scale')),
      tx: Number(svg.getAttribute('data-tx')),
      ty: Number(svg.getAttribute('data-ty')),
      left: rect.left,
      top: rect.top,
    };
  });
  // Whole screen pixels: chromium rounds mouse positions.
  return {
    x: Math.round(view.left + view.tx + p.x * view.scale),
    y: Math.round(view.top + view.ty + p.y * view.scale),
  };
}

async function drag(from: Point, to: Point): Promise<void> {
  const a = await toScreen(from);
  const b = await toScreen(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

async function shownBox(): Promise<number[] | null> {
  if ((await boxRect().count()) === 0) return null;
  return (await boxRect().getAttribute('data-box'))!.split(',').map(Number);
}

async function waitForSaved(): Promise<void> {
  await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });
}

function storedBoxes(): BoxRow[] {
  const db = new Database(join(projectDir, 'catalog.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        "SELECT box_x, box_y, box_w, box_h FROM instances JOIN images ON images.id = instances.image_id WHERE images.path LIKE '%im0002.jpg'",
      )
      .all() as BoxRow[];
  } finally {
    db.close();
  }
}

function assertNear(actual: ArrayLike<number | null>, expected: number[], what: string): void {
  const got = Array.from(actual);
  assert.equal(got.length, expected.length, what);
  got.forEach((value, i) =>
    assert.ok(
      value !== null && Math.abs(value - expected[i]) <= 0.5,
      `${what}: ${got.join(', ')} is not ${expected.join(', ')}`,
    ),
  );
}

before(async () => {
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  errors = watchErrors(page);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('a person box drawn, resized, undone, cleared and restored with the Box tool is the row in the catalog', async () => {
  await page.goto(serve.url);
  await page.getByRole('textbox', { name: 'Project name', exact: true }).fill('Box e2e');
  await page.getByRole('textbox', { name: 'Project folder', exact: true }).fill(projectDir);
  await page.getByLabel('LSP-14 skeleton').check();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByLabel('Import format').selectOption('folder');
  await page.getByLabel('Import path').fill(join(fixturesDir, 'lsp', 'images'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText(/Imported 12 images/).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Open im0002.jpg' }).click();
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  const width = Number(await canvas().getAttribute('data-image-width'));
  const height = Number(await canvas().getAttribute('data-image-height'));

  // B turns the tool on; the hint says why the box matters.
  await page.keyboard.press('b');
  await page.locator('svg[data-box-mode="true"]').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Box tool' }).getAttribute('aria-pressed'), 'true');
  await page
    .getByTestId('workspace-hint')
    .getByText('The network sees this box (×1.5) instead of the whole image, for training and prediction.')
    .waitFor();

  // Drawn with no person selected: a person is made for it. Drawn right to left, up.
  const drawn = [0.2 * width, 0.15 * height, 0.5 * width, 0.6 * height];
  await drag({ x: drawn[0] + drawn[2], y: drawn[1] + drawn[3] }, { x: drawn[0], y: drawn[1] });
  assertNear((await shownBox())!, drawn, 'drawn box');
  assert.equal(await page.locator('rect[data-box-handle]').count(), 8);

  // The south-east corner, dragged past the image: the box stops at the image's edge.
  await drag({ x: drawn[0] + drawn[2], y: drawn[1] + drawn[3] }, { x: width + 30, y: drawn[1] + drawn[3] + 10 });
  const resized = [drawn[0], drawn[1], width - drawn[0], drawn[3] + 10];
  assertNear((await shownBox())!, resized, 'resized box');

  // One drag is one undo step.
  await page.keyboard.press('Control+z');
  assertNear((await shownBox())!, drawn, 'undone resize');
  await page.keyboard.press('Control+Shift+z');
  assertNear((await shownBox())!, resized, 'redone resize');
  await waitForSaved();
  const rows = storedBoxes();
  assert.equal(rows.length, 1, 'one person on the image');
  assertNear(Object.values(rows[0]), resized, 'stored box');
  await saveScreenshot(page, 'person-box');

  // Delete clears it (the Box tool is on), undo brings it back.
  await page.keyboard.press('Delete');
  assert.equal(await shownBox(), null);
  await waitForSaved();
  assert.deepEqual(storedBoxes(), [{ box_x: null, box_y: null, box_w: null, box_h: null }]);
  await page.keyboard.press('Control+z');
  await waitForSaved();
  assertNear(Object.values(storedBoxes()[0]), resized, 'restored box');

  // What the catalog holds is what a reload shows, with the tool off: no handles.
  await page.reload();
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  await boxRect().waitFor();
  assertNear((await shownBox())!, resized, 'box after reload');
  assert.equal(await page.locator('rect[data-box-handle]').count(), 0);
  assert.deepEqual(
    errors.filter((e) => !e.includes('favicon')),
    [],
  );
});
