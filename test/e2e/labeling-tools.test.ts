// What users of CVAT, Label Studio and SLEAP expect of a labeling tool, end to end: the built
// `serve`, Debian chromium, the LSP fixture images. A theme switch kept across reloads, a
// project removed from the list but not from the disk, a file name in the grid that opens its
// image, the joint's name by the cursor, Shift-click for occluded, arrow-key nudges (undoable),
// unsmoothed zoomed pixels and "next unlabeled image"; each outcome read from the catalog,
// the page's pixels or its DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { fixturesDir, makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, createProjectWithImages, type TestApi } from '../support/ws-client';
import { LSP14 } from '../../src-shared/domain/skeleton';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: TestApi;
let errors: string[] = [];
const temp = makeTempDir();
const projectDir = join(temp.dir, 'project');
const spareDir = join(temp.dir, 'spare');
const imageIds = new Map<string, number>();

type Point = { x: number; y: number };
type Row = { joint: number; x: number; y: number; visibility: number };

const canvas = (): Locator => page.getByRole('application', { name: 'Annotation canvas' });

async function readView(): Promise<{ scale: number; tx: number; ty: number; left: number; top: number }> {
  return canvas().evaluate((svg) => {
    const rect = svg.getBoundingClientRect();
    return {
      scale: Number(svg.getAttribute('data-scale')),
      tx: Number(svg.getAttribute('data-tx')),
      ty: Number(svg.getAttribute('data-ty')),
      left: rect.left,
      top: rect.top,
    };
  });
}

/** The screen point over image point `p`, in whole pixels (chromium rounds mouse positions). */
async function toScreen(p: Point): Promise<Point> {
  const view = await readView();
  return {
    x: Math.round(view.left + view.tx + p.x * view.scale),
    y: Math.round(view.top + view.ty + p.y * view.scale),
  };
}

async function shownJoint(joint: number): Promise<Row | null> {
  const circle = page.locator(`g.instance.selected circle.joint[data-joint="${joint}"]`);
  if ((await circle.count()) === 0) return null;
  return circle.evaluate((c) => ({
    joint: Number(c.getAttribute('data-joint')),
    x: Number(c.getAttribute('data-x')),
    y: Number(c.getAttribute('data-y')),
    visibility: Number(c.getAttribute('data-visibility')),
  }));
}

async function waitForSaved(): Promise<void> {
  await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });
}

/** The keypoints the catalog file holds for the one person on `fileName`, by joint. */
function storedJoints(fileName: string): Map<number, Row> {
  const db = new Database(join(projectDir, 'catalog.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT keypoints.joint, keypoints.x, keypoints.y, keypoints.visibility FROM keypoints
         JOIN instances ON instances.id = keypoints.instance_id JOIN images ON images.id = instances.image_id
         WHERE images.path LIKE ? ORDER BY keypoints.joint`,
      )
      .all(`%${fileName}`) as Row[];
    return new Map(rows.map((row) => [row.joint, row]));
  } finally {
    db.close();
  }
}

async function labelThroughApi(fileName: string, joints: number): Promise<void> {
  const instance = await api.call('instances.create', { project: projectDir, imageId: imageIds.get(fileName)! });
  const keypoints = Array.from({ length: joints }, (_, joint) => ({
    joint,
    x: 20 + joint * 5,
    y: 30 + joint * 4,
    visibility: 2 as const,
  }));
  await api.call('keypoints.save', { project: projectDir, instanceId: instance.id, keypoints });
}

const shownImage = (fileName: string) =>
  page.getByTestId('image-name').getByText(fileName, { exact: true }).waitFor({ timeout: 5_000 });

before(async () => {
  serve = await startServe(join(temp.dir, 'home'));
  await createProjectWithImages(serve, projectDir, 'Tools e2e', join(fixturesDir, 'lsp', 'images'));
  api = await connectApi(serve);
  await api.call('projects.create', { folder: spareDir, name: 'Spare project', skeleton: { preset: 'lsp14' } });
  for (const image of (await api.call('images.list', { project: projectDir, limit: 100 })).items)
    imageIds.set(image.fileName, image.id);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  errors = watchErrors(page);
});

after(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('the theme is light, dark or the system one, and a reload keeps the choice', async () => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const LIGHT = 'rgb(246, 247, 249)';
  const DARK = 'rgb(21, 24, 28)';
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(serve.url);
  const theme = page.getByLabel('Theme', { exact: true });
  assert.equal(await theme.inputValue({ timeout: 5_000 }), 'system');
  assert.equal(await background(), LIGHT);

  await theme.selectOption('dark');
  assert.equal(await background(), DARK);
  await page.reload();
  assert.equal(await page.getByLabel('Theme', { exact: true }).inputValue(), 'dark');
  assert.equal(await background(), DARK);

  // A fixed choice wins over the system's; "follow system" follows it.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByLabel('Theme', { exact: true }).selectOption('light');
  assert.equal(await background(), LIGHT);
  await page.reload();
  assert.equal(await background(), LIGHT);
  await page.getByLabel('Theme', { exact: true }).selectOption('system');
  assert.equal(await background(), DARK);
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await background(), LIGHT);
  assert.deepEqual(errors, []);
});

test('a project removed from the list, after a confirmation, keeps its folder and catalog', async () => {
  await page.goto(serve.url);
  const recent = page.getByRole('region', { name: 'Recent projects' });
  await recent.getByText('Spare project', { exact: true }).waitFor();
  await recent.getByRole('button', { name: 'Remove project Spare project from the list' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove Spare project from the list?' });
  await confirm.getByText('Its folder and files stay on disk').waitFor();
  await saveScreenshot(page, 'labeling-tools-forget-project');
  await confirm.getByRole('button', { name: 'Remove from list' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await recent.getByText('Spare project', { exact: true }).count(), 0);
  await recent.getByText('Tools e2e', { exact: true }).waitFor();

  assert.ok(existsSync(join(spareDir, 'catalog.sqlite')), 'the catalog is still on disk');
  assert.deepEqual(
    (await api.call('projects.list', {})).map((p) => p.name),
    ['Tools e2e'],
  );
  await page.reload();
  await recent.getByText('Tools e2e', { exact: true }).waitFor();
  assert.equal(await recent.getByText('Spare project', { exact: true }).count(), 0);
  // And it opens again from its folder.
  assert.equal((await api.call('projects.open', { folder: spareDir })).name, 'Spare project');
  assert.deepEqual(errors, []);
});

test('clicking a file name in the grid opens that image', async () => {
  await page.goto(serve.url);
  await page.getByRole('button', { name: 'Open project Tools e2e' }).click();
  await page.getByRole('list', { name: 'Images' }).getByText('im0003.jpg', { exact: true }).click();
  await shownImage('im0003.jpg');
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
});

test('the joint about to be placed is named by the cursor; Shift-click places it occluded; V acts on the joint just placed', async () => {
  const label = page.getByTestId('cursor-joint');
  const first = await toScreen({ x: 50, y: 60 });
  await page.mouse.move(first.x, first.y);
  await label.getByText(LSP14.joints[0], { exact: true }).waitFor({ timeout: 5_000 });
  const box = (await label.boundingBox())!;
  assert.ok(
    Math.abs(box.x - first.x) < 40 && Math.abs(box.y - first.y) < 40,
    `the name is by the cursor: ${JSON.stringify(box)} vs ${JSON.stringify(first)}`,
  );

  await page.mouse.click(first.x, first.y);
  await label.getByText(LSP14.joints[1], { exact: true }).waitFor();
  const second = await toScreen({ x: 70, y: 80 });
  await page.mouse.move(second.x, second.y);
  await page.keyboard.down('Shift');
  await label.getByText('occluded').waitFor();
  await saveScreenshot(page, 'labeling-tools-cursor-joint');
  await page.mouse.click(second.x, second.y);
  await page.keyboard.up('Shift');
  assert.equal((await shownJoint(1))!.visibility, 1);
  await label.getByText(LSP14.joints[2], { exact: true }).waitFor();

  const third = await toScreen({ x: 90, y: 100 });
  await page.mouse.click(third.x, third.y);
  await page.keyboard.press('v');
  assert.equal((await shownJoint(2))!.visibility, 1, 'V occludes the joint just placed');

  // Off the image, or with the Box tool, the name goes away.
  await page.mouse.move(5, 5);
  await label.waitFor({ state: 'detached' });

  await waitForSaved();
  const stored = storedJoints('im0003.jpg');
  assert.deepEqual(
    [0, 1, 2].map((joint) => stored.get(joint)?.visibility),
    [2, 1, 1],
  );
  for (const [joint, p] of [
    [0, { x: 50, y: 60 }],
    [1, { x: 70, y: 80 }],
  ] as const) {
    assert.ok(
      Math.abs(stored.get(joint)!.x - p.x) < 1 && Math.abs(stored.get(joint)!.y - p.y) < 1,
      `joint ${joint} where clicked`,
    );
  }
  assert.deepEqual(errors, []);
});

test('arrow keys nudge the joint just placed by one image pixel (Shift: ten), saved and undoable', async () => {
  const placed = (await shownJoint(2))!;
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('ArrowUp');
  const nudged = (await shownJoint(2))!;
  assert.ok(Math.abs(nudged.x - (placed.x + 1)) < 1e-9, `x ${nudged.x} is ${placed.x} + 1`);
  assert.ok(Math.abs(nudged.y - (placed.y + 9)) < 1e-9, `y ${nudged.y} is ${placed.y} + 10 - 1`);
  await waitForSaved();
  let stored = storedJoints('im0003.jpg').get(2)!;
  assert.ok(
    Math.abs(stored.x - nudged.x) < 1e-6 && Math.abs(stored.y - nudged.y) < 1e-6,
    'the nudged joint is in the catalog',
  );

  // Each nudge is one step of the undo history.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  assert.deepEqual(await shownJoint(2), placed);
  await waitForSaved();
  stored = storedJoints('im0003.jpg').get(2)!;
  assert.ok(
    Math.abs(stored.x - placed.x) < 1e-6 && Math.abs(stored.y - placed.y) < 1e-6,
    'the undone nudges are undone in the catalog',
  );
  assert.deepEqual(errors, []);
});

test('zoomed in, image pixels are drawn as squares, not smoothed', async () => {
  const rendering = () =>
    page.locator('svg[data-loaded] image').evaluate((image) => getComputedStyle(image).imageRendering);
  await page.getByLabel('Zoom level').selectOption('0.5');
  assert.equal(await rendering(), 'auto');
  await page.getByLabel('Zoom level').selectOption('8');
  assert.equal(await rendering(), 'pixelated');

  // Inside one image pixel, 8 screen pixels wide, every screen pixel has the same colour.
  const view = await readView();
  const distinct: number[] = [];
  // Away from the joints placed above (50, 60; 70, 80; 90, 100).
  for (const [ix, iy] of [
    [93, 110],
    [85, 115],
    [100, 120],
  ]) {
    const left = Math.ceil(view.left + view.tx + ix * 8) + 1;
    const top = Math.ceil(view.top + view.ty + iy * 8) + 1;
    const png = await page.screenshot({ clip: { x: left, y: top, width: 5, height: 5 } });
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const colours = new Set<string>();
    for (let i = 0; i < info.width * info.height; i++) colours.add(data.subarray(i * 3, i * 3 + 3).join(','));
    distinct.push(colours.size);
  }
  assert.deepEqual(distinct, [1, 1, 1], 'one colour per image pixel');
  await page.getByRole('button', { name: 'Fit to window' }).click();
  assert.deepEqual(errors, []);
});

test('N and the button go to the next image not fully labeled, in grid order, wrapping around', async () => {
  await labelThroughApi('im0004.jpg', LSP14.joints.length);
  await labelThroughApi('im0005.jpg', LSP14.joints.length);
  await labelThroughApi('im0006.jpg', 3);
  await page.keyboard.press('n');
  await shownImage('im0006.jpg');
  await page.getByRole('button', { name: 'Next unlabeled image' }).click();
  await shownImage('im0007.jpg');

  await page.goto(`${serve.origin}/#/p/${encodeURIComponent(projectDir)}/label/${imageIds.get('im0012.jpg')}`);
  await shownImage('im0012.jpg');
  await page.keyboard.press('n');
  await shownImage('im0001.jpg');
  assert.deepEqual(errors, []);
});

test('the key help lists the new keys and Shift-click', async () => {
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.getByText('Next image not fully labeled').waitFor({ timeout: 5_000 });
  await help.getByText('Move the selected joint by 1 image pixel (Shift: 10)').waitFor();
  await help.getByText('Place the next joint as occluded').waitFor();
  await saveScreenshot(page, 'labeling-tools-help');
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
});
