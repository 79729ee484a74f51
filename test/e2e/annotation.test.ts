// The joint annotation workspace end to end: the built `serve`, Debian chromium, a project
// created through the UI, the LSP fixture images imported, 14 joints placed, moved, marked
// and undone, then the catalog file itself read back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { fixturesDir, makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { STANDING_FIGURE } from '../support/standing-figure';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const temp = makeTempDir();
const projectDir = join(temp.dir, 'project');
const errors: string[] = [];

// Image positions (pixels of im0001.jpg, 186 x 221) for the 14 LSP joints, a standing figure.
const WIDTH = 186;
const HEIGHT = 221;
const layout = STANDING_FIGURE;
const chosen = layout.map(([fx, fy]) => ({ x: fx * WIDTH + 0.3, y: fy * HEIGHT + 0.15 }));
const DRAGGED = 5;
const dragTarget = { x: 0.7 * WIDTH + 0.2, y: 0.85 * HEIGHT + 0.4 };
const OCCLUDED = [1, 10];
const NOT_LABELED = 13;

interface CanvasView {
  scale: number;
  tx: number;
  ty: number;
  left: number;
  top: number;
}

const canvas = (): Locator => page.getByRole('application', { name: 'Annotation canvas' });

async function readView(): Promise<CanvasView> {
  // No helper functions inside: the callback runs in the page, where tsx's __name is missing.
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

function toScreen(view: CanvasView, p: { x: number; y: number }): { x: number; y: number } {
  return { x: view.left + view.tx + p.x * view.scale, y: view.top + view.ty + p.y * view.scale };
}

function toImage(view: CanvasView, x: number, y: number): { x: number; y: number } {
  return { x: (x - view.left - view.tx) / view.scale, y: (y - view.top - view.ty) / view.scale };
}

async function jointState(joint: number): Promise<{ x: number; y: number; visibility: number } | null> {
  const circle = page.locator(`circle.joint[data-joint="${joint}"]`);
  if ((await circle.count()) === 0) return null;
  return circle.evaluate((c) => ({
    x: Number(c.getAttribute('data-x')),
    y: Number(c.getAttribute('data-y')),
    visibility: Number(c.getAttribute('data-visibility')),
  }));
}

async function waitForSaved(): Promise<void> {
  await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

before(async () => {
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.on('pageerror', (error) => errors.push(error.message));
  // CSP violations and failed calls surface as console errors. The shell has no favicon (yet).
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      errors.push(`${message.text()} ${message.location().url}`);
  });
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('joints placed, dragged, marked and undone through the UI are in the catalog exactly as set', async () => {
  await page.goto(serve.url);
  await page.getByRole('textbox', { name: 'Project name', exact: true }).fill('Annotation e2e');
  await page.getByRole('textbox', { name: 'Project folder', exact: true }).fill(projectDir);
  await page.getByLabel('LSP-14 skeleton').check();
  await page.getByRole('button', { name: 'Create project' }).click();

  await page.getByLabel('Import format').selectOption('folder');
  await page.getByLabel('Import path').fill(join(fixturesDir, 'lsp', 'images'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText(/Imported 12 images/).waitFor({ timeout: 30_000 });
  await page.getByTestId('image-total').getByText('12 images').waitFor();

  await page.getByRole('button', { name: 'Open im0001.jpg' }).click();
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  assert.equal(await canvas().getAttribute('data-image-width'), String(WIDTH));

  // Wheel zoom keeps the image point under the cursor in place.
  let view = await readView();
  // Whole screen pixels: chromium rounds mouse positions.
  const aim = toScreen(view, { x: 60, y: 150 });
  const cursor = { x: Math.round(aim.x), y: Math.round(aim.y) };
  const before = toImage(view, cursor.x, cursor.y);
  await page.mouse.move(cursor.x, cursor.y);
  await page.mouse.wheel(0, -240);
  await page.waitForFunction(
    (scale) => Number(document.querySelector('svg[data-scale]')!.getAttribute('data-scale')) !== scale,
    view.scale,
  );
  const zoomed = await readView();
  assert.ok(zoomed.scale > view.scale);
  const under = toImage(zoomed, cursor.x, cursor.y);
  near(under.x, before.x, 1e-6, 'x under the cursor after wheel zoom');
  near(under.y, before.y, 1e-6, 'y under the cursor after wheel zoom');

  // 2x, then pan by dragging the background: nothing is placed by a drag.
  await page.getByLabel('Zoom level').selectOption('2');
  view = await readView();
  assert.equal(view.scale, 2);
  const from = toScreen(view, { x: 93, y: 110 });
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 70, from.y - 45, { steps: 6 });
  await page.mouse.up();
  const panned = await readView();
  near(panned.tx - view.tx, 70, 0.01, 'pan x');
  near(panned.ty - view.ty, -45, 0.01, 'pan y');
  assert.equal(await page.locator('circle.joint').count(), 0);

  // Each click places the next unlabeled joint, in skeleton order.
  view = panned;
  for (const [joint, point] of chosen.entries()) {
    const at = toScreen(view, point);
    await page.mouse.click(at.x, at.y);
    await page.locator(`circle.joint[data-joint="${joint}"]`).waitFor();
  }
  assert.equal(await page.locator('circle.joint[data-visibility="2"]').count(), 14);
  await page.getByText('All joints placed.').waitFor();

  // Drag one joint.
  const start = toScreen(view, chosen[DRAGGED]);
  const end = toScreen(view, dragTarget);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 10 });
  await page.mouse.up();
  const dragged = (await jointState(DRAGGED))!;
  near(dragged.x, dragTarget.x, 0.5, 'dragged x');
  near(dragged.y, dragTarget.y, 0.5, 'dragged y');

  // Space + drag pans even when it starts on a joint, and leaves the joint alone.
  await page.mouse.move(end.x, end.y);
  await page.keyboard.down('Space');
  await page.mouse.down();
  await page.mouse.move(end.x - 30, end.y + 20, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Space');
  const spacePanned = await readView();
  near(spacePanned.tx - view.tx, -30, 0.01, 'space pan x');
  assert.deepEqual(await jointState(DRAGGED), dragged);

  // Occlude one joint by a click in the joint list, another by key; clear a third by cycling twice.
  await page.getByRole('button', { name: `Visibility of ${LSP14.joints[OCCLUDED[0]]}: visible` }).click();
  await page.getByRole('button', { name: `Select joint ${LSP14.joints[OCCLUDED[1]]}` }).click();
  await page.keyboard.press('v');
  await page.getByRole('button', { name: `Visibility of ${LSP14.joints[NOT_LABELED]}: visible` }).click();
  await page.getByRole('button', { name: `Visibility of ${LSP14.joints[NOT_LABELED]}: occluded` }).click();
  for (const joint of OCCLUDED) assert.equal((await jointState(joint))!.visibility, 1);
  assert.equal(await jointState(NOT_LABELED), null);

  // Undo back past the drag (four visibility steps, then the drag), then redo everything.
  for (let i = 0; i < 5; i++) await page.keyboard.press('Control+z');
  const undone = (await jointState(DRAGGED))!;
  near(undone.x, chosen[DRAGGED].x, 0.5, 'undone x');
  near(undone.y, chosen[DRAGGED].y, 0.5, 'undone y');
  for (const joint of [...OCCLUDED, NOT_LABELED]) assert.equal((await jointState(joint))!.visibility, 2);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+z');
  for (let i = 0; i < 2; i++) await page.keyboard.press('Control+y');
  assert.deepEqual(await jointState(DRAGGED), dragged);
  for (const joint of OCCLUDED) assert.equal((await jointState(joint))!.visibility, 1);
  assert.equal(await jointState(NOT_LABELED), null);

  await waitForSaved();
  await page.reload();
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  await page.locator('circle.joint').first().waitFor();
  assert.deepEqual(await jointState(DRAGGED), dragged);

  const expected = chosen.map((point, joint) => ({
    ...(joint === DRAGGED ? dragTarget : point),
    visibility: joint === NOT_LABELED ? 0 : OCCLUDED.includes(joint) ? 1 : 2,
  }));
  const db = new Database(join(projectDir, 'catalog.sqlite'), { readonly: true });
  try {
    const instances = db
      .prepare(
        "SELECT instances.id FROM instances JOIN images ON images.id = instances.image_id WHERE images.path LIKE '%im0001.jpg'",
      )
      .all() as Array<{ id: number }>;
    assert.equal(instances.length, 1, 'one person on the image');
    const rows = db
      .prepare('SELECT joint, x, y, visibility, source FROM keypoints WHERE instance_id = ? ORDER BY joint')
      .all(instances[0].id) as Array<{
      joint: number;
      x: number;
      y: number;
      visibility: number;
      source: string;
    }>;
    const byJoint = new Map(rows.map((row) => [row.joint, row]));
    for (const [joint, want] of expected.entries()) {
      const row = byJoint.get(joint);
      if (want.visibility === 0) {
        assert.ok(!row || row.visibility === 0, `${LSP14.joints[joint]} should be not labeled`);
        continue;
      }
      assert.ok(row, `${LSP14.joints[joint]} missing from the catalog`);
      assert.equal(row.visibility, want.visibility, `${LSP14.joints[joint]} visibility`);
      assert.equal(row.source, 'human');
      near(row.x, want.x, 0.5, `${LSP14.joints[joint]} x`);
      near(row.y, want.y, 0.5, `${LSP14.joints[joint]} y`);
    }
  } finally {
    db.close();
  }
  assert.deepEqual(errors, []);
});

test('the canvas draws skeleton edges and hollow occluded joints', async () => {
  await page.locator('circle.joint').first().waitFor({ timeout: 10_000 });
  // Every LSP edge whose two joints are labeled is a stroked line; none touch the cleared head top.
  const edges = await page.locator('line.edge').evaluateAll((lines) =>
    lines.map((line) => ({
      edge: line.getAttribute('data-edge')!,
      stroke: getComputedStyle(line).stroke,
      width: parseFloat(getComputedStyle(line).strokeWidth),
    })),
  );
  const drawable = LSP14.edges.filter(([a, b]) => a !== NOT_LABELED && b !== NOT_LABELED).map(([a, b]) => `${a}-${b}`);
  assert.deepEqual(edges.map((e) => e.edge).sort(), drawable.sort());
  for (const edge of edges) assert.ok(edge.stroke !== 'none' && edge.width > 0, `edge ${edge.edge} is not stroked`);

  const joints = await page.locator('circle.joint').evaluateAll((circles) =>
    circles.map((c) => ({
      joint: Number(c.getAttribute('data-joint')),
      fill: getComputedStyle(c).fill,
      stroke: getComputedStyle(c).stroke,
      width: parseFloat(getComputedStyle(c).strokeWidth),
    })),
  );
  assert.equal(joints.length, 13);
  for (const joint of joints) {
    if (OCCLUDED.includes(joint.joint)) {
      assert.equal(joint.fill, 'none', `occluded joint ${joint.joint} should be hollow`);
      assert.ok(joint.stroke !== 'none' && joint.width > 0, `occluded joint ${joint.joint} should have an outline`);
    } else {
      assert.notEqual(joint.fill, 'none', `visible joint ${joint.joint} should be filled`);
    }
  }
  // Distinct colours per joint.
  assert.equal(new Set(joints.filter((j) => !OCCLUDED.includes(j.joint)).map((j) => j.fill)).size, 11);

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await page
    .getByRole('dialog', { name: 'Keyboard shortcuts' })
    .getByText('Cycle visible → occluded → not labeled')
    .waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });
  await saveScreenshot(page, 'annotation-workspace');
  assert.deepEqual(errors, []);
});

test('persons are added, selected and deleted (and an undone delete comes back); keys move between images; search filters', async () => {
  await page.keyboard.press('d');
  await page.getByTestId('image-name').getByText('im0002.jpg').waitFor();
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  await page.getByText('No person on this image yet').waitFor();

  const view = await readView();
  // The first click starts a person; "Add person" starts a second one.
  const first = toScreen(view, { x: 40, y: 60 });
  await page.mouse.click(first.x, first.y);
  await page.getByRole('button', { name: 'Add person' }).click();
  const second = toScreen(view, { x: 100, y: 60 });
  await page.mouse.click(second.x, second.y);
  assert.equal(await page.locator('g.instance').count(), 2);
  assert.equal(await page.locator('g.instance.selected circle.joint').count(), 1);
  await waitForSaved();

  const labeledPerImage = () => {
    const db = new Database(join(projectDir, 'catalog.sqlite'), { readonly: true });
    try {
      return db
        .prepare(
          `SELECT instances.id AS id, COUNT(CASE WHEN keypoints.visibility > 0 THEN 1 END) AS labeled FROM instances
           JOIN images ON images.id = instances.image_id LEFT JOIN keypoints ON keypoints.instance_id = instances.id
           WHERE images.path LIKE '%im0002.jpg' GROUP BY instances.id ORDER BY instances.id`,
        )
        .all() as Array<{ id: number; labeled: number }>;
    } finally {
      db.close();
    }
  };
  assert.deepEqual(
    labeledPerImage().map((row) => row.labeled),
    [1, 1],
  );

  await page.getByRole('button', { name: 'Delete person' }).click();
  assert.equal(await page.locator('g.instance').count(), 1);
  await waitForSaved();
  assert.equal(labeledPerImage().length, 1);

  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('g.instance').count(), 2);
  await waitForSaved();
  assert.deepEqual(
    labeledPerImage().map((row) => row.labeled),
    [1, 1],
  );

  await page.keyboard.press('a');
  await page.getByTestId('image-name').getByText('im0001.jpg').waitFor();

  await page.getByRole('link', { name: 'Back to images' }).click();
  await page.getByLabel('Search file names').fill('im0003');
  await page
    .getByTestId('image-total')
    .getByText(/^1 image$/)
    .waitFor();
  await page.getByLabel('Search file names').fill('');
  await page.getByLabel('Filter by status').selectOption('partial');
  await page
    .getByTestId('image-total')
    .getByText(/^2 images$/)
    .waitFor();
  assert.equal(await page.getByRole('button', { name: /^Open im000[12]\.jpg$/ }).count(), 2);
  await page.getByLabel('Filter by status').selectOption('');
  await page
    .getByTestId('image-total')
    .getByText(/^12 images$/)
    .waitFor();
  await saveScreenshot(page, 'annotation-image-browser');
  assert.deepEqual(errors, []);
});
