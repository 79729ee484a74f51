// The Predict view end to end: the built `serve`, Debian chromium, a sample project with a
// tiny model trained in the worker, then in the page: pick the model and a folder of new
// images, watch the grid fill, open one, accept it, and find it labeled in the annotation
// workspace; the unlabeled folder sorts least confident first. Setup goes through the same API the page uses (over `ws`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir, repoRoot } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, finishedTask, sampleProject, waitUntil, type TestApi } from '../support/ws-client';

const NEW_IMAGES = 24;
const MANY_IMAGES = 200;

let serve: ServeProcess;
let browser: Browser;
let api: TestApi;
let project: string;
let runId: string;
const temp = makeTempDir();
const newFolder = join(temp.dir, 'new-images');
const manyFolder = join(temp.dir, 'many-images');

async function openPredictView(page: Page): Promise<void> {
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/predict`);
  await page
    .getByLabel('Model', { exact: true })
    .locator('option', { hasText: 'tiny: final model' })
    .waitFor({ state: 'attached', timeout: 20_000 });
}

before(async () => {
  for (const [out, count, seed] of [
    [newFolder, NEW_IMAGES, 7],
    [manyFolder, MANY_IMAGES, 8],
  ] as const) {
    execFileSync(
      process.execPath,
      [join(repoRoot, 'bin', 'deeppose.js'), 'sample', '--out', out, '--count', String(count), '--seed', String(seed)],
      { stdio: 'ignore' },
    );
  }
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  api = await connectApi(serve);
  project = await sampleProject(api, { folder: join(temp.dir, 'project'), name: 'Predict sample', count: 40, seed: 1 });
  const started = await api.call('training.start', {
    project,
    name: 'tiny',
    settings: { model: 'alexnet-tiny', optimizer: 'Adam', lr: 0.001, epochs: 6, batchSize: 8, augment: false },
  });
  runId = started.runId;
  await finishedTask(api, started.taskId, 'the training run');
});

after(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test(
  'predict a folder with a trained run, see the grid fill, accept one prediction and find it labeled',
  { timeout: 240_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    const errors = watchErrors(page);
    await openPredictView(page);
    await page.getByLabel('Model', { exact: true }).selectOption(`${runId}:final`);
    await page.getByLabel('Images to predict').selectOption('folder');
    await page.getByLabel('Image folder path').fill(newFolder);

    // Record the states the progress panel shows: the task may be over within a second.
    await page.evaluate(() => {
      const states: string[] = [];
      (window as unknown as { progressStates: string[] }).progressStates = states;
      new MutationObserver(() => {
        const state = document.querySelector('section[aria-label="Prediction progress"]')?.getAttribute('data-state');
        if (state && states.at(-1) !== state) states.push(state);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Start prediction' }).click();

    const progress = page.locator('section[aria-label="Prediction progress"]');
    await progress.and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: 120_000 });
    assert.match(await progress.innerText(), new RegExp(`Predicted ${NEW_IMAGES} images`));
    const states = await page.evaluate(() => (window as unknown as { progressStates: string[] }).progressStates);
    assert.equal(states[0], 'running', `progress was shown while predicting (states seen: ${states.join(', ')})`);
    await page.locator(`[data-testid="prediction-count"][data-total="${NEW_IMAGES}"]`).waitFor({ timeout: 20_000 });

    // Every visible tile carries a 14-joint skeleton, drawn where the image's pixels are.
    const tiles = page.locator('[aria-label="Predicted images"] svg.pose');
    await waitUntil('skeletons on the tiles', async () => (await tiles.count()) >= Math.min(NEW_IMAGES, 8));
    assert.equal(await tiles.first().getAttribute('data-joints'), '14');
    const sets = await api.call('predictions.sets', { project });
    const { items } = await api.call('predictions.list', {
      project,
      setId: sets[0].id,
      sort: 'name',
      offset: 0,
      limit: 100,
    });
    assert.equal(items.length, NEW_IMAGES);
    const first = items[0];
    const tile = page.getByRole('button', { name: `Open ${first.fileName}` });
    const box = (await tile.locator('img').boundingBox())!;
    const dot = (await tile.locator('path.joint[data-joint="0"]').boundingBox())!;
    const scale = Math.min(box.width / first.width, box.height / first.height);
    const expected = {
      x: box.x + (box.width - first.width * scale) / 2 + first.joints[0][0] * scale,
      y: box.y + (box.height - first.height * scale) / 2 + first.joints[0][1] * scale,
    };
    assert.ok(
      Math.abs(dot.x + dot.width / 2 - expected.x) < 1.5 && Math.abs(dot.y + dot.height / 2 - expected.y) < 1.5,
      `joint 0 is drawn at ${dot.x + dot.width / 2},${dot.y + dot.height / 2}, expected ${expected.x},${expected.y}`,
    );

    // Open one image: large, with its per-joint table, and accept it.
    await tile.click();
    const detail = page.locator('section[aria-label="Prediction detail"]');
    await detail.waitFor();
    assert.equal(await detail.getByTestId('detail-name').innerText(), first.fileName);
    assert.equal(await detail.locator('table[aria-label="Per-joint errors"] tbody tr').count(), 14);
    await detail.getByRole('button', { name: 'Accept prediction as label' }).click();
    await detail.and(page.locator('[data-accepted="true"]')).waitFor();
    await detail.getByText(/Accepted as this image's label/).waitFor();
    await saveScreenshot(page, 'predict-view');

    // Export the set while here: the reference list has a row per image.
    // The browser door writes only inside the project's folders (the output rule).
    const csvPath = join(project, 'predictions.csv');
    await page.getByLabel('CSV list path').fill(csvPath);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page
      .locator('section[aria-label="Export predictions"]')
      .getByText(`Wrote ${NEW_IMAGES} predictions`)
      .waitFor();
    const csvRows = readFileSync(csvPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    assert.equal(csvRows.length, NEW_IMAGES);
    for (const row of csvRows) assert.equal(row.length, 1 + 14 * 3, `path, then x, y, v per joint: ${row.join(',')}`);

    await detail.getByRole('button', { name: 'Open in the annotation workspace' }).click();
    await page.waitForURL(/#\/p\/.+\/label\/\d+$/);
    await page.getByTestId('image-name').and(page.getByText(first.fileName)).waitFor();
    const rows = page.locator('section[aria-label="Joints"] li[data-joint-row]');
    await waitUntil('the joint list', async () => (await rows.count()) === 14);
    const labeledRows = await page
      .locator('section[aria-label="Joints"] li[data-joint-row]:not([data-state="not labeled"])')
      .count();
    assert.equal(labeledRows, 14, 'every joint of the accepted prediction is a label');

    const imageId = Number(page.url().split('/').at(-1));
    const { instances } = await api.call('images.get', { project, imageId });
    assert.equal(instances.length, 1);
    for (const [j, k] of instances[0].keypoints.entries()) {
      assert.equal(k.source, 'model');
      assert.equal(k.runId, runId);
      assert.ok(
        Math.abs(k.x - first.joints[j][0]) < 0.01 && Math.abs(k.y - first.joints[j][1]) < 0.01,
        `joint ${j} is where it was predicted`,
      );
    }
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  'an unlabeled folder is shown least confident first, each tile with its flip disagreement',
  { timeout: 60_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    const errors = watchErrors(page);
    await openPredictView(page);
    assert.equal(await page.getByLabel('Flip check').isChecked(), true, 'the flip check is on by default');
    // The newest set is the folder predicted above: no image of it has a label.
    await page.locator(`[data-testid="prediction-count"][data-total="${NEW_IMAGES}"]`).waitFor({ timeout: 20_000 });
    await waitUntil(
      'the least-confident order',
      async () => (await page.getByLabel('Sort predictions').inputValue()) === 'least-confident',
    );
    const badges = page.locator('[aria-label="Predicted images"] .doubt-badge');
    await waitUntil('doubt badges', async () => (await badges.count()) >= 8);
    const shown = await badges.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-doubt'))));
    assert.ok(
      shown.every((d) => Number.isFinite(d) && d >= 0),
      `doubts: ${shown.join(', ')}`,
    );
    assert.deepEqual(
      shown,
      [...shown].sort((a, b) => b - a),
      `least confident first: ${shown.join(', ')}`,
    );
    const sets = await api.call('predictions.sets', { project });
    const listed = await api.call('predictions.list', {
      project,
      setId: sets[0].id,
      sort: 'least-confident',
      offset: 0,
      limit: shown.length,
    });
    assert.deepEqual(
      shown,
      listed.items.map((p) => p.confidence.flip),
      "the tiles are the server's least-confident order",
    );
    assert.match(await badges.first().innerText(), /↔ \d+(\.\d)?%/);

    // The detail names the doubt and gives it per joint.
    await page.getByRole('button', { name: `Open ${listed.items[0].fileName}` }).click();
    const detail = page.locator('section[aria-label="Prediction detail"]');
    await detail.getByTestId('detail-doubt').waitFor();
    assert.match(await detail.getByTestId('detail-doubt').innerText(), /flip disagreement \d+(\.\d)?%/);
    const perJoint = await detail
      .locator('table[aria-label="Per-joint errors"] tbody tr td:nth-child(5)')
      .allInnerTexts();
    assert.equal(perJoint.length, 14);
    assert.ok(
      perJoint.every((t) => /^\d+(\.\d)?%$/.test(t)),
      perJoint.join(', '),
    );
    await saveScreenshot(page, 'predict-view-least-confident');

    // Every field and button of the setup panel is inside it: long model names and paths once
    // pushed the Browse and Export buttons past its edge, out of sight.
    const overflow = await page.locator('aside[aria-label="Prediction setup"]').evaluate((panel) => {
      const edge = panel.getBoundingClientRect().right;
      return [...panel.querySelectorAll('button, input, select')]
        .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > edge + 0.5)
        .map((el) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName);
    });
    assert.deepEqual(overflow, [], `past the setup panel's edge: ${overflow.join(', ')}`);

    // Picking an order by hand keeps it.
    await page.getByLabel('Sort predictions').selectOption('name');
    await waitUntil('the name order', async () => (await page.getByLabel('Sort predictions').inputValue()) === 'name');
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  'predict the validation split: worst errors first, and metrics with the PCK curve',
  { timeout: 180_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    const errors = watchErrors(page);
    await openPredictView(page);
    await page.getByLabel('Images to predict').selectOption('val');
    await page.getByRole('button', { name: 'Start prediction' }).click();
    await page
      .locator('section[aria-label="Prediction progress"][data-state="succeeded"]')
      .waitFor({ timeout: 120_000 });
    const total = (await api.call('projects.open', { folder: project })).perSplit.val;
    assert.ok(total > 0, 'the validation split has images');
    await page.locator(`[data-testid="prediction-count"][data-total="${total}"]`).waitFor();

    await page.getByLabel('Sort predictions').selectOption('error');
    const badges = page.locator('[aria-label="Predicted images"] .error-badge');
    await waitUntil('error badges', async () => (await badges.count()) >= Math.min(total, 4));
    const shown = (await badges.allInnerTexts()).map((t) => Number.parseFloat(t));
    assert.deepEqual(
      shown,
      [...shown].sort((a, b) => b - a),
      `worst first: ${shown.join(', ')}`,
    );

    await page.getByLabel('Minimum error in pixels').fill(String(shown[0]));
    await waitUntil(
      'the error filter',
      async () => Number(await page.getByTestId('prediction-count').getAttribute('data-shown')) < total || total === 1,
    );

    // COCO keypoint results parse back: one entry per image, [x, y, v] for each of the 14 joints.
    const cocoPath = join(project, 'val-results.json');
    await page.getByLabel('COCO results path').fill(cocoPath);
    await page.getByRole('button', { name: 'Export COCO' }).click();
    await page.locator('section[aria-label="Export predictions"]').getByText(`Wrote ${total} predictions`).waitFor();
    const results = JSON.parse(readFileSync(cocoPath, 'utf8')) as Array<{ image_id: unknown; keypoints: number[] }>;
    assert.equal(results.length, total);
    for (const result of results) assert.equal(result.keypoints.length, 14 * 3);

    await page.getByRole('button', { name: 'Metrics', exact: true }).click();
    const table = page.locator('table[aria-label="Per-joint metrics"]');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 14);
    assert.match(await page.getByTestId('metrics-summary').innerText(), /\d+ labeled images · PCK \d+(\.\d)?%/);
    const chart = page.locator('figure[aria-label="PCK against threshold"]');
    assert.ok(Number(await chart.getAttribute('data-points')) > 1, 'the PCK curve has points');
    await saveScreenshot(page, 'predict-view-metrics');
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  '8-bit dense weights: the set says so, and its joints stay close to the float32 set of the same images',
  { timeout: 120_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    const errors = watchErrors(page);
    await openPredictView(page);
    const before = await api.call('predictions.sets', { project });
    const float = before.find((s) => s.source === 'split val' && s.denseWeights === 'float32');
    assert.ok(float, 'the validation split was predicted as trained above');
    assert.equal(await page.getByLabel('8-bit dense weights').isChecked(), false, 'off by default');
    await page.getByLabel('Images to predict').selectOption('val');
    await page.getByLabel('8-bit dense weights').check();
    await page.getByRole('button', { name: 'Start prediction' }).click();
    await page
      .locator('section[aria-label="Prediction progress"][data-state="succeeded"]')
      .waitFor({ timeout: 60_000 });
    const [set] = await api.call('predictions.sets', { project });
    assert.equal(set.denseWeights, 'int8');
    assert.equal(set.count, float.count);
    await waitUntil('the set picker names it', async () =>
      (await page.locator('select[aria-label="Prediction set"] option:checked').innerText()).includes('8-bit dense'),
    );
    const list = async (setId: number) =>
      (await api.call('predictions.list', { project, setId, sort: 'name', offset: 0, limit: 5000 })).items;
    const [a, b] = [await list(float.id), await list(set.id)];
    assert.deepEqual(
      b.map((p) => p.imagePath),
      a.map((p) => p.imagePath),
    );
    const moves = a
      .flatMap((p, i) => p.joints.map(([x, y], j) => Math.hypot(x - b[i].joints[j][0], y - b[i].joints[j][1])))
      .sort((m, n) => m - n);
    // The tiny network's cascade re-crops around each stage's estimate, so a few joints move by
    // several pixels; most by under one (README: the reference AlexNet's by under half a pixel).
    assert.ok(
      moves[Math.floor(moves.length / 2)] < 2,
      `median move ${moves[Math.floor(moves.length / 2)].toFixed(2)} px`,
    );
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test('a long prediction shows its throughput and can be cancelled part way', { timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  const errors = watchErrors(page);
  await openPredictView(page);
  await page.getByLabel('Images to predict').selectOption('folder');
  await page.getByLabel('Image folder path').fill(manyFolder);
  await page.getByRole('button', { name: 'Start prediction' }).click();
  const progress = page.locator('section[aria-label="Prediction progress"]');
  const bar = page.locator('progress[aria-label="Prediction progress bar"]');
  await waitUntil(
    'some images predicted',
    async () => Number((await bar.getAttribute('data-current', { timeout: 30_000 })) ?? 0) >= 10,
    60_000,
  );
  assert.match(
    await page.getByTestId('predict-figures').innerText(),
    new RegExp(`\\d+ / ${MANY_IMAGES} images[\\s\\S]*\\d+(\\.\\d)? images/s`),
  );
  // The grid fills while the task runs, not only at its end.
  const shownCount = page.getByTestId('prediction-count');
  await waitUntil(
    'tiles while predicting',
    async () => Number(await shownCount.getAttribute('data-total')) > 0,
    30_000,
  );
  assert.equal(await progress.getAttribute('data-state'), 'running');
  await progress.getByRole('button', { name: 'Cancel prediction' }).click();
  await progress.and(page.locator('[data-state="cancelled"]')).waitFor({ timeout: 30_000 });
  const stoppedAt = Number((await progress.innerText()).match(/cancelled after (\d+) images/)?.[1]);
  assert.ok(stoppedAt >= 10 && stoppedAt < MANY_IMAGES, `cancelled after ${stoppedAt} images`);
  assert.deepEqual(errors, []);
  await page.close();
});
