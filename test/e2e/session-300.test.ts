// A whole labeling session without the CLI (issue 15): 300 sample pictures in a folder,
// imported through the import form's folder browser, a few persons labeled by clicking their
// joints, the dataset exported as the CSV list from the project view. The list must hold
// exactly the clicks: persons with a labeled joint, one line each, joints never placed as
// 0,0,0 (v 0 = not labeled); images nobody labeled are not in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve, dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { STANDING_FIGURE } from '../support/standing-figure';

const COUNT = 300;
const SIDE = 160;
let serve: ServeProcess;
let browser: Browser;
const temp = makeTempDir();
const home = join(temp.dir, 'user');
const projectDir = join(home, 'project');

const LAYOUT = STANDING_FIGURE;
/** Which pictures get labeled, how many joints are clicked, and a shift so each person differs. */
const SESSION = [
  { file: 'sample-000001.jpg', joints: 14, shift: 0 },
  { file: 'sample-000150.jpg', joints: 14, shift: 4 },
  { file: 'sample-000300.jpg', joints: 5, shift: -6 },
];

before(async () => {
  mkdirSync(home);
  await generateSample({ outDir: join(home, 'session'), count: COUNT, seed: 15, width: SIDE, height: SIDE });
  // The studio's folder browser starts at the user's home: this test's own.
  serve = await startServe(join(temp.dir, 'studio-home'), { HOME: home });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

async function clickJoints(
  page: Page,
  points: Array<{ x: number; y: number }>,
): Promise<Array<{ x: number; y: number }>> {
  const canvas = page.getByRole('application', { name: 'Annotation canvas' });
  await page.locator('svg[data-loaded="true"]').waitFor({ timeout: 15_000 });
  const view = await canvas.evaluate((svg) => {
    const rect = svg.getBoundingClientRect();
    return {
      scale: Number(svg.getAttribute('data-scale')),
      tx: Number(svg.getAttribute('data-tx')),
      ty: Number(svg.getAttribute('data-ty')),
      left: rect.left,
      top: rect.top,
    };
  });
  const placed: Array<{ x: number; y: number }> = [];
  for (const [joint, p] of points.entries()) {
    // Chromium clicks whole screen pixels: the label is the image point under the pixel clicked.
    const at = {
      x: Math.round(view.left + view.tx + p.x * view.scale),
      y: Math.round(view.top + view.ty + p.y * view.scale),
    };
    await page.mouse.click(at.x, at.y);
    await page.locator(`circle.joint[data-joint="${joint}"]`).waitFor();
    placed.push({ x: (at.x - view.left - view.tx) / view.scale, y: (at.y - view.top - view.ty) / view.scale });
  }
  await page.locator('[aria-label="Save status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 10_000 });
  return placed;
}

test(
  '300 pictures: imported through the folder browser, a few labeled by clicks, exported as the CSV list',
  { timeout: 120_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    const errors = watchErrors(page);
    await page.goto(serve.url);
    await page.getByRole('textbox', { name: 'Project name', exact: true }).fill('Session');
    await page.getByRole('textbox', { name: 'Project folder', exact: true }).fill(projectDir);
    await page.getByLabel('LSP-14 skeleton').check();
    await page.getByRole('button', { name: 'Create project' }).click();

    // Import: the folder chosen in the studio's folder browser, not typed.
    await page.getByLabel('Import format').selectOption('folder');
    await page.getByTitle('Browse for Import path').click();
    const dialog = page.getByRole('dialog', { name: 'Import path' });
    await dialog.getByRole('button', { name: 'Open folder session' }).click();
    await dialog.getByRole('button', { name: 'Open folder images' }).click();
    await dialog
      .getByTestId('browser-folder')
      .getByText(join(home, 'session', 'images'), { exact: true })
      .waitFor();
    await dialog.getByRole('button', { name: 'Choose this folder' }).click();
    assert.equal(await page.getByLabel('Import path').inputValue(), join(home, 'session', 'images'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(`Imported ${COUNT} images`).waitFor({ timeout: 60_000 });
    await page.getByTestId('image-total').getByText(`${COUNT} images`).waitFor();

    const clicked = new Map<string, Array<{ x: number; y: number }>>();
    for (const { file, joints, shift } of SESSION) {
      await page.getByLabel('Search file names').fill(file.replace('.jpg', ''));
      await page
        .getByTestId('image-total')
        .getByText(/^1 image$/)
        .waitFor();
      await page.getByRole('button', { name: `Open ${file}` }).click();
      await page.getByTestId('image-name').getByText(file).waitFor();
      const points = LAYOUT.slice(0, joints).map(([fx, fy]) => ({
        x: fx * SIDE + shift + 0.3,
        y: fy * SIDE + shift / 2 + 0.2,
      }));
      clicked.set(file, await clickJoints(page, points));
      await page.getByRole('link', { name: 'Back to images' }).click();
    }
    await page.getByLabel('Search file names').fill('');
    await page.getByLabel('Filter by status').selectOption('unlabeled');
    await page
      .getByTestId('image-total')
      .getByText(`${COUNT - SESSION.length} images`)
      .waitFor();
    await page.getByLabel('Filter by status').selectOption('');

    await page.getByText('Export dataset').first().click();
    const destination = await page.getByLabel('Export destination').inputValue();
    assert.equal(destination, join(projectDir, 'exports', 'dataset.csv'));
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Exported ${SESSION.length} persons on ${SESSION.length} images` })
      .waitFor();
    await saveScreenshot(page, 'session-300-exported');

    // One line per labeled person, none for the 297 images nobody labeled.
    const lines = readFileSync(destination, 'utf8').trim().split('\n');
    assert.equal(lines.length, SESSION.length);
    const rows = new Map<string, number[]>(
      lines.map((line) => {
        const [path, ...numbers] = line.split(',');
        assert.equal(numbers.length, 14 * 3, line);
        // Paths are relative to the list's folder when the images sit under it, else absolute.
        return [basename(resolve(dirname(destination), path)), numbers.map(Number)];
      }),
    );
    for (const { file } of SESSION) {
      const row = rows.get(file) ?? [];
      assert.equal(row.length, 14 * 3, `${file} is in the export`);
      const points = clicked.get(file)!;
      for (let joint = 0; joint < 14; joint++) {
        const [x, y, v] = row.slice(3 * joint, 3 * joint + 3);
        if (joint >= points.length) {
          assert.deepEqual([x, y, v], [0, 0, 0], `${file} joint ${joint} was never placed`);
          continue;
        }
        assert.equal(v, 1, `${file} joint ${joint} visible`);
        assert.ok(
          Math.abs(x - points[joint].x) <= 1 && Math.abs(y - points[joint].y) <= 1,
          `${file} joint ${joint}: (${x}, ${y}) vs clicked (${points[joint].x}, ${points[joint].y})`,
        );
      }
    }
    assert.deepEqual(errors, []);
    await page.close();
  },
);
