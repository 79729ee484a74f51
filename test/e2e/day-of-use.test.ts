// Issue 24's remaining traps, each in the browser door with Debian chromium: stage bands on the
// Train view's charts; accepting and correcting a prediction in place without the Predict view
// rearranging itself or scoring the model against its own answer; a task tray that stays small;
// layouts at 1440 and 1024 px that neither wrap the labeling toolbar, push the settings down,
// cut an export path nor lose the grid's highlight; and a finished export's path to copy.
// One project, one tiny two-stage run and one predicted folder serve every test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir, repoRoot } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, finishedTask, sampleProject, waitUntil, type TestApi } from '../support/ws-client';

const NEW_IMAGES = 12;
let serve: ServeProcess;
let browser: Browser;
let api: TestApi;
let project: string;
let runId: string;
let setId: number;
const temp = makeTempDir();
const newFolder = join(temp.dir, 'new-images');

before(async () => {
  execFileSync(
    process.execPath,
    [join(repoRoot, 'bin', 'deeppose.js'), 'sample', '--out', newFolder, '--count', String(NEW_IMAGES), '--seed', '5'],
    { stdio: 'ignore' },
  );
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  api = await connectApi(serve);
  project = await sampleProject(api, { folder: join(temp.dir, 'project'), name: 'Day of use', count: 30, seed: 3 });
  const started = await api.call('training.start', {
    project,
    name: 'tiny',
    settings: {
      model: 'alexnet-tiny',
      optimizer: 'Adam',
      lr: 0.001,
      epochs: 2,
      stages: 2,
      refineEpochs: 1,
      batchSize: 8,
      augment: false,
    },
  });
  runId = started.runId;
  await finishedTask(api, started.taskId, 'the training run');
  const predicted = await api.call('predict.start', {
    project,
    model: { runId, checkpoint: 'final' },
    source: { folder: newFolder },
  });
  setId = predicted.setId;
  await finishedTask(api, predicted.taskId, 'the prediction');
});

after(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

async function tasksEnded() {
  return (await api.call('tasks.list', {})).filter((t) => t.state !== 'running');
}

async function openPredict(page: Page): Promise<void> {
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/predict`);
  await page.locator(`[data-testid="prediction-count"][data-total="${NEW_IMAGES}"]`).waitFor({ timeout: 20_000 });
}

/** The file names in the grid's order, as the page shows them. */
async function gridOrder(page: Page): Promise<string[]> {
  const names = await page
    .locator('[aria-label="Predicted images"] button.open')
    .evaluateAll((buttons) => buttons.map((b) => (b.getAttribute('aria-label') ?? '').replace(/^Open /, '')));
  return names;
}

test('the charts shade each cascade stage and label it, so stage 2 reads as a new stage', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/train`);
  await page.getByRole('region', { name: 'Runs' }).getByRole('button', { name: 'tiny', exact: true }).click();
  for (const chart of ['Training loss', 'Validation loss and PCK']) {
    const figure = page.locator(`figure[aria-label="${chart}"]`);
    await figure.locator('.stage-band', { hasText: 'stage 2' }).waitFor({ timeout: 20_000 });
    const bands = await figure.locator('.stage-band').allInnerTexts();
    assert.deepEqual(
      bands.map((b) => b.trim()),
      ['stage 1', 'stage 2'],
    );
    const plot = (await figure.locator('.u-over').boundingBox())!;
    const second = (await figure.locator('.stage-band', { hasText: 'stage 2' }).boundingBox())!;
    assert.ok(second.width > 4, `${chart}: stage 2's band has a width (${second.width} px)`);
    assert.ok(
      second.x > plot.x + 4 && second.x + second.width <= plot.x + plot.width + 1,
      `${chart}: stage 2's band starts inside the plot, after stage 1 (${second.x} in ${plot.x}..${plot.x + plot.width})`,
    );
  }
  await saveScreenshot(page, 'day-stage-bands');
  assert.deepEqual(errors, []);
  await page.close();
});

test(
  'accepting and correcting a prediction in place keeps the order, says where the image went, and is not scored against itself',
  { timeout: 120_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await openPredict(page);
    const sort = page.getByLabel('Sort predictions');
    await waitUntil('the least-confident order', async () => (await sort.inputValue()) === 'least-confident');
    await waitUntil('every tile', async () => (await gridOrder(page)).length === NEW_IMAGES);
    const before = await gridOrder(page);

    const name = before[2];
    await page.getByRole('button', { name: `Open ${name}` }).click();
    const detail = page.locator('section[aria-label="Prediction detail"]');
    await detail.getByRole('button', { name: 'Accept prediction as label' }).click();
    await detail.and(page.locator('[data-accepted="true"]')).waitFor();
    const said = detail.getByRole('status');
    await waitUntil('the split named', async () => /train split/.test(await said.innerText()), 5000).catch(() => {});
    const accepted = await said.innerText();
    assert.match(accepted, /Accepted as this image's label/);
    assert.match(accepted, /joined the project's train split/, 'the image joining the train split is said');
    assert.doesNotMatch(await detail.innerText(), /no label yet/, 'no "no label yet" beside "Accepted"');

    // Correct in place: drag joint 0 of the label 30 screen px to the right.
    await detail.getByRole('button', { name: 'Correct joints' }).click();
    const canvas = detail.getByRole('application', { name: 'Annotation canvas' });
    await canvas
      .and(page.locator('[data-loaded="true"]'))
      .waitFor({ timeout: 5000 })
      .catch(async (e) => {
        await saveScreenshot(page, 'day-debug-correct');
        console.log(await detail.innerText(), await canvas.innerHTML().catch(() => 'no canvas'), errors);
        throw e;
      });
    // The joint farthest from the others, so the press lands on it alone.
    const circles = await canvas
      .locator('circle.joint')
      .evaluateAll((cs) =>
        cs.map((c) => [
          Number(c.getAttribute('data-joint')),
          Number(c.getAttribute('cx')),
          Number(c.getAttribute('cy')),
        ]),
      );
    const lonely = circles
      .map(([j, x, y]) => ({
        j,
        gap: Math.min(...circles.filter((o) => o[0] !== j).map((o) => Math.hypot(o[1] - x, o[2] - y))),
      }))
      .sort((a, b) => b.gap - a.gap)[0].j;
    const joint = canvas.locator(`circle.joint[data-joint="${lonely}"]`);
    const at = (await joint.boundingBox())!;
    const scale = Number(await canvas.getAttribute('data-scale'));
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    await page.mouse.down();
    await page.mouse.move(at.x + at.width / 2 + 15, at.y + at.height / 2, { steps: 4 });
    await page.mouse.move(at.x + at.width / 2 + 30, at.y + at.height / 2, { steps: 4 });
    await page.mouse.up();

    const { items } = await api.call('predictions.list', { project, setId, sort: 'name', offset: 0, limit: 100 });
    const prediction = items.find((p) => p.fileName === name)!;
    const imageId = prediction.imageId!;
    const corrected = await waitUntil(
      'the corrected joint saved',
      async () => {
        const { instances } = await api.call('images.get', { project, imageId });
        const k = instances[0]?.keypoints.find((p) => p.joint === lonely);
        return k && k.source === 'human' ? instances : null;
      },
      10_000,
    );
    assert.equal(corrected.length, 1, 'one person: the correction edits the accepted label');
    const moved = corrected[0].keypoints.find((k) => k.joint === lonely)!;
    assert.ok(
      Math.abs(moved.x - (prediction.joints[lonely][0] + 30 / scale)) < 1.5,
      `joint ${lonely} moved by 30 screen px: ${moved.x} vs ${prediction.joints[lonely][0]} + ${30 / scale}`,
    );
    for (const k of corrected[0].keypoints.filter((p) => p.joint !== lonely))
      assert.equal(k.source, 'model', `joint ${k.joint}, not dragged, stays the model's`);
    const { image } = await api.call('images.get', { project, imageId });
    assert.equal(image.split, 'train');

    // The grid's order and the sort stay as they were; the detail stays on the same image.
    assert.equal(await sort.inputValue(), 'least-confident');
    // (The grid is virtualised: beside the detail it holds the first rows only.)
    const after = await gridOrder(page);
    assert.ok(after.length >= 3);
    assert.deepEqual(after, before.slice(0, after.length));
    assert.equal(await detail.getByTestId('detail-name').innerText(), name);
    await saveScreenshot(page, 'day-correct-in-place');

    // One undo step takes the drag back: the label is the accepted prediction again.
    await detail.getByRole('button', { name: 'Undo correction' }).click();
    await waitUntil('the undone joint', async () => {
      const { instances } = await api.call('images.get', { project, imageId });
      return instances[0].keypoints.every((k) => k.source === 'model');
    });
    await detail.getByRole('button', { name: 'Done correcting' }).click();

    // Metrics: the accepted prediction is counted apart, not scored against itself.
    await page.getByRole('button', { name: 'Metrics' }).click();
    await page.getByText('1 accepted, not scored').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test('the task tray stays small: ended tasks fold into one compact line, an error shows once', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchErrors(page);
  const notes = join(temp.dir, 'notes.txt');
  writeFileSync(notes, 'not a list of images\n');
  for (let i = 0; i < 5; i++) {
    await api.call('predictions.export', { project, setId, format: 'csv', path: join(project, `tray-${i}.csv`) });
  }
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/images`);
  await page.getByLabel('Import path').fill(notes);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('[aria-label="Import progress"][data-state="failed"]').waitFor();
  const tray = page.getByRole('region', { name: 'Tasks' });
  await tray.getByText(/tasks? running, \d+ ended/).waitFor();
  const failure = (await tasksEnded()).find((t) => t.state === 'failed')!;
  assert.ok(failure, 'the import failed');
  assert.doesNotMatch(failure.title, /folder notes\.txt/, `a file is not called a folder: ${failure.title}`);
  const box = (await tray.boundingBox())!;
  assert.ok(box.height <= 900 * 0.12, `the tray takes ${box.height} px of 900`);
  const body = await page.locator('body').innerText();
  const shown = body.split(failure.error!.split('\n')[0]).length - 1;
  assert.equal(shown, 1, `the import's error is shown once (${shown} times):\n${body}`);
  await saveScreenshot(page, 'day-task-tray');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an export to an existing file says how to replace it in the words of the checkbox', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await openPredict(page);
  const csv = join(project, 'twice.csv');
  await page.getByLabel('CSV list path').fill(csv);
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const panel = page.locator('section[aria-label="Export predictions"]');
  await panel.getByText(`Wrote ${NEW_IMAGES} predictions`).waitFor();
  // A finished export shows its whole path with a copy button (a browser cannot open a file manager).
  const written = panel.getByTestId('written-path');
  assert.equal(await written.innerText(), csv);
  await panel.getByRole('button', { name: 'Copy path' }).waitFor();
  const fits = await written.evaluate((el) => el.scrollWidth <= el.clientWidth);
  assert.ok(fits, 'the written path is not cut off');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const refusal = await panel.getByRole('alert').innerText();
  assert.match(refusal, /replace an existing file/);
  assert.doesNotMatch(refusal, /choose overwrite/);
  await page.close();
});

test('at 1440 px the labeling toolbar is one row and the Train settings are not pushed down', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchErrors(page);
  const { items } = await api.call('images.list', { project, offset: 0, limit: 1 });
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/label/${items[0].id}`);
  const toolbar = page.getByRole('toolbar', { name: 'Annotation tools' });
  await toolbar.waitFor();
  // One row: every control's vertical middle within a few px of the first's.
  const middles = await toolbar.locator('button, a, select, input').evaluateAll((els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => e.getBoundingClientRect())
      .map((r) => r.top + r.height / 2),
  );
  const rows = new Set(middles.map((y) => Math.round((y - middles[0]) / 12)));
  await saveScreenshot(page, 'day-label-1440');
  assert.ok(rows.size <= 1, `the toolbar's controls sit on ${rows.size} rows`);
  assert.ok(await toolbar.evaluate((el) => el.scrollWidth <= el.clientWidth), 'no horizontal overflow');

  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/train`);
  const settings = page.getByRole('group', { name: 'Training settings' });
  await settings.waitFor();
  await page.getByTestId('backend-will-run').waitFor();
  const top = (await settings.boundingBox())!.y;
  await saveScreenshot(page, 'day-train-1440');
  assert.ok(top < 900 * 0.45, `the settings start at ${top} px of 900`);
  const panel = (await page.getByRole('complementary', { name: 'Training setup' }).boundingBox())!;
  assert.ok(panel.width >= 360, `the settings column is ${panel.width} px wide at 1440`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("at 1024×768 export paths are whole, the detail's actions are in view and the grid highlight follows the image", async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  const errors = watchErrors(page);
  await openPredict(page);
  for (const label of ['CSV list path', 'COCO results path', 'Confidence scores path']) {
    const field = page.getByLabel(label);
    const fits = await field.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight);
    assert.ok(fits, `${label}: the whole path is shown (${await field.inputValue()})`);
  }
  await waitUntil('every tile', async () => (await gridOrder(page)).length === NEW_IMAGES);
  const order = await gridOrder(page);
  await page.getByRole('button', { name: `Open ${order[0]}` }).click();
  const detail = page.locator('section[aria-label="Prediction detail"]');
  await detail.getByRole('button', { name: 'Next prediction' }).click();
  await detail.getByRole('button', { name: 'Next prediction' }).click();
  assert.equal(await detail.getByTestId('detail-name').innerText(), order[2]);
  const current = page.locator('[aria-label="Predicted images"] [aria-current="true"]');
  await waitUntil('one highlighted tile', async () => (await current.count()) === 1);
  assert.equal(await current.getAttribute('aria-label'), `Open ${order[2]}`);
  // The detail's actions are in view at 768 px, not below the fold nor under the task tray.
  const inView = await detail.getByRole('button', { name: 'Correct joints' }).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return r.bottom <= innerHeight && hit !== null && el.contains(hit);
  });
  assert.ok(inView, 'Correct joints: in view at 1024×768');
  await saveScreenshot(page, 'day-predict-1024');
  assert.deepEqual(errors, []);
  await page.close();
});
