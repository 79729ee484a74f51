// Suggested joints in the workspace, counted: the built `serve`, Debian chromium, the real
// photographs imported, and the clicks and keys it takes to go from an unlabeled photo to one
// accepted, corrected person, without suggestions (a click per joint) and with them (Suggest,
// accept all, drag what is off, place what is missing, drop the extra person).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { fixturesDir, makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { poseModelSkip } from '../support/pose-model';

const photos = join(fixturesDir, 'real-photos');
const modelSkip = poseModelSkip;

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const temp = makeTempDir();
const projectDir = join(temp.dir, 'project');
const errors: string[] = [];

type Point = { x: number; y: number };
/** The hand-labeled truth of one person (test/fixtures/real-photos/truth.txt). */
function truthOf(image: string): Point[] {
  const line = readFileSync(join(photos, 'truth.txt'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${image}|`))!;
  return line
    .split('|')[2]
    .split(' ')
    .map((c) => {
      const [x, y] = c.split(',').map(Number);
      return { x, y };
    });
}

/** Every click, drag and key the user makes on the way, counted. */
const actions = { clicks: 0, drags: 0, keys: 0 };
const total = () => actions.clicks + actions.drags + actions.keys;

async function toScreen(p: Point): Promise<Point> {
  return page.getByRole('application', { name: 'Annotation canvas' }).evaluate((svg, q) => {
    const rect = svg.getBoundingClientRect();
    const scale = Number(svg.getAttribute('data-scale'));
    return {
      x: rect.left + Number(svg.getAttribute('data-tx')) + q.x * scale,
      y: rect.top + Number(svg.getAttribute('data-ty')) + q.y * scale,
    };
  }, p);
}

async function clickAt(p: Point): Promise<void> {
  const s = await toScreen(p);
  await page.mouse.click(s.x, s.y);
  actions.clicks++;
}

async function dragFromTo(from: Point, to: Point): Promise<void> {
  const a = await toScreen(from);
  const b = await toScreen(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  actions.drags++;
}

async function press(key: string): Promise<void> {
  await page.keyboard.press(key);
  actions.keys++;
}

async function openImage(name: string): Promise<void> {
  await page.goto(`${serve.url}#/p/${encodeURIComponent(projectDir)}/images`);
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
}

function labelsOf(image: string): { instance: number; joint: number; x: number; y: number; visibility: number }[] {
  const db = new Database(join(projectDir, 'catalog.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT n.id AS instance, k.joint, k.x, k.y, k.visibility FROM keypoints k JOIN instances n ON n.id = k.instance_id JOIN images i ON i.id = n.image_id WHERE i.path LIKE ? ORDER BY n.id, k.joint',
      )
      .all(`%/${image}`) as { instance: number; joint: number; x: number; y: number; visibility: number }[];
  } finally {
    db.close();
  }
}

before(async () => {
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      errors.push(`${message.text()} ${message.location().url}`);
  });
  await page.goto(serve.url);
  await page.getByRole('textbox', { name: 'Project name', exact: true }).fill('Suggest e2e');
  await page.getByRole('textbox', { name: 'Project folder', exact: true }).fill(projectDir);
  await page.getByLabel('LSP-14 skeleton').check();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByLabel('Import format').selectOption('folder');
  await page.getByLabel('Import path').fill(photos);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText(/Imported 5 images/).waitFor({ timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test('without suggestions: one click per joint, 14 in all', async () => {
  const truth = truthOf('basketball1.jpg');
  await openImage('basketball1.jpg');
  actions.clicks = actions.drags = actions.keys = 0;
  for (const p of truth) await clickAt(p);
  await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });
  const labels = labelsOf('basketball1.jpg');
  assert.equal(labels.filter((k) => k.visibility > 0).length, 14);
  console.log(`without suggestions: ${total()} actions (${actions.clicks} clicks)`);
  assert.equal(total(), 14);
});

test(
  'with suggestions: Suggest, accept all, correct what is off, in far fewer actions, each an undo step',
  { skip: modelSkip },
  async () => {
    const truth = truthOf('messi5.jpg');
    // Off by more than a tenth of the torso (right shoulder to left hip) gets corrected.
    const tolerance = 0.1 * Math.hypot(truth[8].x - truth[3].x, truth[8].y - truth[3].y);
    await openImage('messi5.jpg');
    actions.clicks = actions.drags = actions.keys = 0;
    await press('g');
    await page.locator('circle.suggested-joint').first().waitFor({ timeout: 120_000 });
    const suggested = await page.locator('circle.suggested-joint').count();
    assert.ok(suggested >= 10, `${suggested} suggested joints`);
    // Hollow and dashed until accepted; nothing is saved as a label yet.
    assert.equal(await page.locator('circle.suggested-joint').first().getAttribute('stroke-dasharray'), '3 2');
    assert.equal(await page.locator('circle.joint').count(), 0);
    await saveScreenshot(page, 'suggest-messi5');

    await press('y');
    assert.equal(await page.locator('circle.suggested-joint').count(), 0);
    const people = await page.getByLabel('Selected person').locator('option').count();
    // Undo brings the suggestions back, redo accepts them again: one step.
    await page.keyboard.press('Control+z');
    assert.ok((await page.locator('circle.suggested-joint').count()) > 0);
    await page.keyboard.press('Control+Shift+z');
    assert.equal(await page.locator('circle.suggested-joint').count(), 0);

    // The accepted person is the first (the most confident): correct its joints against the truth.
    const first = await page.getByLabel('Selected person').locator('option').first().getAttribute('value');
    const jointsNow = async () =>
      page.locator(`circle.joint[data-instance="${first}"]`).evaluateAll((cs) =>
        cs.map((c) => ({
          joint: Number(c.getAttribute('data-joint')),
          x: Number(c.getAttribute('data-x')),
          y: Number(c.getAttribute('data-y')),
        })),
      );
    for (const j of await jointsNow()) {
      if (Math.hypot(j.x - truth[j.joint].x, j.y - truth[j.joint].y) > tolerance) await dragFromTo(j, truth[j.joint]);
    }
    // Joints the model left unplaced: each click places the next unlabeled one.
    const placed = new Set((await jointsNow()).map((j) => j.joint));
    for (let joint = 0; joint < 14; joint++) if (!placed.has(joint)) await clickAt(truth[joint]);
    // Any other suggested person (a spectator at the edge) is not wanted here.
    for (let extra = 1; extra < people; extra++) {
      await press('i');
      await page.getByRole('button', { name: 'Delete person' }).click();
      actions.clicks++;
    }
    await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });

    const labels = labelsOf('messi5.jpg');
    assert.equal(new Set(labels.map((k) => k.instance)).size, 1, 'one person on the image');
    assert.equal(labels.filter((k) => k.visibility > 0).length, 14);
    for (const k of labels)
      assert.ok(
        Math.hypot(k.x - truth[k.joint].x, k.y - truth[k.joint].y) <= tolerance + 1,
        `joint ${k.joint} at ${k.x}, ${k.y}`,
      );
    console.log(
      `with suggestions: ${total()} actions (${actions.keys} keys, ${actions.drags} drags, ${actions.clicks} clicks)`,
    );
    assert.ok(total() < 14, `${total()} actions`);
    assert.deepEqual(errors, []);
  },
);
