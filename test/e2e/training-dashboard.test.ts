// The Train view end to end: the built `serve`, Debian chromium, a real sample project and
// real training in the worker. Setup goes through the same API the page uses (over `ws`);
// the last test cuts the page's own WebSocket to check that it catches up after a drop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page, WebSocketRoute } from 'playwright-core';
import { safeFileName } from '../../src-renderer/src/lib/project-paths';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir, repoRoot } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, waitUntil as pollUntil, type TestApi } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
let api: TestApi;
let project: string;
const temp = makeTempDir();

/** Where the page stood when a wait gave up: the run's status, its log, and a screenshot. */
async function describePage(page: Page, name: string): Promise<string> {
  const status = await page
    .locator('section[aria-label="Training progress"]')
    .getAttribute('data-status', { timeout: 1000 })
    .catch(() => 'no run shown');
  const log = await page
    .locator('section[aria-label="Training log"]')
    .innerText({ timeout: 1000 })
    .catch(() => '');
  const alert = await page
    .locator('[role="alert"]')
    .allInnerTexts()
    .catch(() => []);
  const shot = await saveScreenshot(page, `training-dashboard-timeout-${name}`);
  return `run ${status}; alerts: ${JSON.stringify(alert)}; screenshot ${shot}; log:\n${log}`;
}

/** Polls until `probe` holds; on a timeout with a page, says where the page stood. */
async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  page?: Page,
): Promise<T> {
  try {
    return await pollUntil(what, probe, timeoutMs);
  } catch (error) {
    throw page
      ? new Error(`${(error as Error).message}: ${await describePage(page, what.replaceAll(' ', '-'))}`)
      : error;
  }
}

/** Waits for a run's row or the dashboard to reach a status; a timeout says where it stood and what the log said. */
async function waitForStatus(
  page: Page,
  target: ReturnType<Page['locator']>,
  status: string,
  timeoutMs = 60_000,
): Promise<void> {
  try {
    await target.and(page.locator(`[data-status="${status}"]`)).waitFor({ timeout: timeoutMs });
  } catch (error) {
    const now = await target.getAttribute('data-status', { timeout: 1000 }).catch(() => 'absent');
    throw new Error(`still ${now}, not ${status}: ${await describePage(page, status)}`, { cause: error });
  }
}

/** Waits on the live dashboard, giving up at once if the run fails. */
async function waitForProgress(page: Page, what: string, reached: () => Promise<boolean>): Promise<void> {
  await waitUntil(
    what,
    async () => {
      if ((await dashboard(page).getAttribute('data-status')) === 'failed')
        throw new Error(`the run failed while waiting for ${what}: ${await describePage(page, 'failed')}`);
      return reached();
    },
    60_000,
    page,
  );
}

const dashboard = (page: Page) => page.locator('section[aria-label="Training progress"]');
const progressBar = (page: Page) => page.locator('progress[aria-label="Run progress"]');
const lossChart = (page: Page) => page.locator('figure[aria-label="Training loss"]');
const numberOf = async (page: Page, locator: ReturnType<Page['locator']>, attribute: string) =>
  Number((await locator.getAttribute(attribute)) ?? 0);

const validationChart = (page: Page) => page.locator('figure[aria-label="Validation loss and PCK"]');

/**
 * The baseline guide as drawn: its row (CSS px down the canvas), and how many pixels of its
 * grey lie on that row and on a row 8 px below it (the dashes cover most of the first).
 */
async function guideOnCanvas(chart: Locator): Promise<{ y: number; onLine: number; below: number }> {
  // No named functions inside: the page does not have the helper tsx names them with.
  return chart.evaluate((figure) => {
    const y = Number(figure.getAttribute('data-guide-ys'));
    const canvas = figure.querySelector('canvas')!;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const [onLine, below] = [y, y + 8].map((row) => {
      const data = canvas.getContext('2d')!.getImageData(0, Math.round(row * ratio), canvas.width, 1).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (
          Math.abs(data[i] - 0x86) < 16 &&
          Math.abs(data[i + 1] - 0x8e) < 16 &&
          Math.abs(data[i + 2] - 0x96) < 16 &&
          data[i + 3] > 200
        )
          n++;
      return n;
    });
    return { y, onLine, below };
  });
}

async function openTrainView(page: Page): Promise<void> {
  await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/train`);
  await page.getByTestId('instances-train').waitFor({ timeout: 20_000 });
}

/** A run small enough for two cores: Adam, the tiny AlexNet, a few short epochs. */
async function chooseSmallRun(page: Page): Promise<void> {
  await page.getByLabel('Optimizer', { exact: true }).selectOption('Adam');
  assert.equal(
    await page.getByLabel('Learning rate', { exact: true }).inputValue(),
    '0.001',
    'Adam brings its own default rate',
  );
  await page.getByLabel('Architecture', { exact: true }).selectOption('alexnet-tiny');
  await page.getByLabel('Epochs', { exact: true }).fill('8');
  await page.getByLabel('Batch size', { exact: true }).fill('8');
  await page.getByLabel('Validate every (epochs)', { exact: true }).fill('2');
  // A two-stage cascade: the whole view, then the person re-cropped around its estimate.
  await page.getByLabel('Cascade stages', { exact: true }).fill('2');
  await page.getByLabel('Epochs per refinement stage', { exact: true }).fill('2');
}

before(async () => {
  const sampleDir = join(temp.dir, 'sample');
  execFileSync(
    process.execPath,
    [join(repoRoot, 'bin', 'deeppose.js'), 'sample', '--out', sampleDir, '--count', '60', '--seed', '1'],
    { stdio: 'ignore' },
  );
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  api = await connectApi(serve);
  const created = await api.call('projects.create', {
    folder: join(temp.dir, 'project'),
    name: 'Sample people',
    skeleton: { preset: 'lsp14' },
  });
  project = created.path;
  const { taskId } = await api.call('datasets.import', { project, format: 'csv', path: join(sampleDir, 'sample.csv') });
  const imported = await waitUntil('the import', async () => {
    const task = await api.call('tasks.get', { id: taskId });
    return task.state !== 'running' && task;
  });
  assert.equal(imported.state, 'succeeded', imported.error ?? '');
  await api.call('splits.assign', { project, seed: 1, ratios: { train: 0.8, val: 0.2, test: 0 } });
});

after(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test(
  'start an Adam run, watch it learn, stop it, resume it and see it finish with its validation PCK',
  { timeout: 240_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);
    await openTrainView(page);
    assert.match(await page.getByTestId('instances-val').innerText(), /^[1-9]\d* instances$/);
    await page
      .getByTestId('backend-will-run')
      .getByText(/Will run on/)
      .waitFor();
    await chooseSmallRun(page);
    // Before Train: the run's steps and disk; no time yet (no earlier run), until its speed is measured.
    const estimateTime = page.getByTestId('estimate-time');
    await page.locator('section[aria-label="Run estimate"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    assert.match(await estimateTime.innerText(), /^Time [\d,]+ steps; time unknown until the first steps/);
    const steps = Number((await estimateTime.innerText()).match(/^Time ([\d,]+) steps/)![1].replace(/,/g, ''));
    assert.match(
      await page.getByTestId('estimate-disk').innerText(),
      /^Disk up to [\d.]+ [kM]B on disk \(2 of \d+ checkpoints kept, [\d.]+ [kM]B each, \+ frozen stages and model\); [\d.]+ [MGT]B free$/,
    );
    await page.getByRole('button', { name: 'Measure speed' }).click();
    await waitUntil(
      'the measured speed',
      async () => /^Time ≈ .+ \([\d,]+ steps × [\d.]+ s, measured just now\)$/.test(await estimateTime.innerText()),
      60_000,
      page,
    );
    await page.getByRole('textbox', { name: /^Run name/ }).fill('adam-tiny');
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    await waitForStatus(page, dashboard(page), 'running', 30_000);
    const runId = (await dashboard(page).getAttribute('data-run-id'))!;
    await waitForProgress(
      page,
      'three progress updates',
      async () => (await numberOf(page, progressBar(page), 'data-updates')) >= 3,
    );
    const points = await numberOf(page, lossChart(page), 'data-points');
    assert.ok(points >= 3, `the loss chart has ${points} points`);
    assert.match(
      await page.getByTestId('progress-figures').innerText(),
      /Stage 1\/2 \(whole\) · epoch \d+\/8[\s\S]*Iteration \d+ \/ \d+[\s\S]*(ETA|images\/s)/,
    );
    assert.equal(
      Number((await page.getByTestId('progress-figures').innerText()).match(/Iteration \d+ \/ (\d+)/)![1]),
      steps,
      'the run takes the steps estimated',
    );
    await saveScreenshot(page, 'training-dashboard-running');

    await dashboard(page).getByRole('button', { name: 'Stop' }).click();
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await waitForStatus(page, row, 'stopped', 60_000);
    assert.equal(await dashboard(page).getAttribute('data-status'), 'stopped');
    const stoppedAt = await numberOf(page, progressBar(page), 'data-iteration');

    await row.getByRole('button', { name: 'Resume' }).click();
    await waitForStatus(page, row, 'finished', 120_000);
    await waitForStatus(page, dashboard(page), 'finished');
    assert.equal(await dashboard(page).getAttribute('data-run-id'), runId, 'the resumed run is the same run');
    assert.ok(
      (await numberOf(page, progressBar(page), 'data-iteration')) > stoppedAt,
      'training went on after the resume',
    );
    assert.match(await row.getByTestId('best-pck').innerText(), /^\d+(\.\d)?%$/);
    assert.match(await page.getByTestId('open-best-pck').innerText(), /^\d+(\.\d)?%$/);
    // Each stage's best validation PCK, and where the run ended: the last epoch of stage 2.
    const stages = await page.getByTestId('stage-pck').allInnerTexts();
    assert.equal(stages.length, 2);
    assert.match(stages[1], /^stage 2 \(person re-crop\): \d+(\.\d)?%$/);
    assert.match(await page.getByTestId('run-where').innerText(), /stage 2\/2 \(person\) · epoch 2\/2/i);
    assert.ok((await numberOf(page, validationChart(page), 'data-points')) >= 1);
    // The run's mean-pose baseline: beside its best PCK, and a labeled dashed line on the PCK chart.
    const { run: stored } = await api.call('runs.get', { project, runId });
    assert.ok(stored.baselineValPck !== null && stored.bestValPck !== null);
    const baseline = `${(stored.baselineValPck * 100).toFixed(1)}%`;
    assert.equal(await page.getByTestId('open-baseline-pck').innerText(), baseline);
    assert.equal(await validationChart(page).getByTestId('chart-guide').innerText(), `mean-pose baseline ${baseline}`);
    const guide = await guideOnCanvas(validationChart(page));
    assert.ok(
      guide.onLine > 100 && guide.below < 20,
      `baseline guide at y ${guide.y}: ${guide.onLine} grey pixels on its row, ${guide.below} below`,
    );
    assert.equal(
      await page.getByTestId('below-baseline').count(),
      stored.bestValPck < stored.baselineValPck ? 1 : 0,
      'the note shows exactly when the run ended below',
    );
    const log = await page.locator('section[aria-label="Training log"]').innerText();
    assert.match(log, /Stopped at iteration \d+/);
    assert.match(log, /Resumed from/);
    assert.match(log, /Finished at stage 2\/2/);
    // Axes and grid in the theme's text colour, resolved: a canvas given light-dark(…) ignores
    // it and draws the axis labels in the last series' colour (pale blue: unreadable).
    for (const name of ['Training loss', 'Validation loss and PCK']) {
      const color = await page.locator(`figure[aria-label="${name}"]`).getAttribute('data-axis-color');
      assert.match(color ?? '', /^rgb\(\d+, \d+, \d+\)$/, `${name}: axes drawn in '${color}'`);
    }
    await saveScreenshot(page, 'training-dashboard-finished');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'training-dashboard-finished-dark');
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  'a run that ended below its mean-pose baseline says so, with both figures, and the line moves to the baseline',
  { timeout: 60_000 },
  async () => {
    const finished = (await api.call('runs.list', { project })).find(
      (r) => r.name === 'adam-tiny' && r.status === 'finished',
    );
    assert.ok(finished && finished.bestValPck !== null, 'the first test leaves a finished run');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);
    await openTrainView(page);
    await dashboard(page)
      .and(page.locator(`[data-run-id="${finished.id}"][data-status="finished"]`))
      .waitFor();
    await validationChart(page).getByTestId('chart-guide').waitFor();
    const before = await guideOnCanvas(validationChart(page));

    // The same run, as if its validation split were easier to guess: a stored baseline of 90 %.
    const db = new Database(join(project, 'catalog.sqlite'), { timeout: 5000 });
    db.prepare('UPDATE runs SET baseline_val_pck = 0.9 WHERE id = ?').run(finished.id);
    db.close();
    await page.reload();
    const note = page.getByTestId('below-baseline');
    await note.waitFor({ timeout: 20_000 });
    assert.match(
      await note.innerText(),
      new RegExp(
        `ended below the mean-pose baseline: its best validation PCK is ${(finished.bestValPck * 100).toFixed(1)}% against 90\\.0%`,
      ),
    );
    assert.equal(await validationChart(page).getByTestId('chart-guide').innerText(), 'mean-pose baseline 90.0%');
    const after = await guideOnCanvas(validationChart(page));
    assert.ok(after.onLine > 100, `${after.onLine} grey pixels on the guide's row`);
    assert.ok(
      after.y < before.y,
      `90 % is drawn higher (y ${after.y}) than ${finished.baselineValPck} (y ${before.y})`,
    );
    await saveScreenshot(page, 'training-dashboard-below-baseline');
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  'reloading the page mid-run reattaches the dashboard to the same run, which keeps going',
  { timeout: 180_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);
    await openTrainView(page);
    await chooseSmallRun(page);
    // An earlier run of this model, backend and batch size gives the speed now.
    await waitUntil(
      'the estimate from the first run',
      async () => /from your run 'adam-tiny'\)$/.test(await page.getByTestId('estimate-time').innerText()),
      20_000,
      page,
    );
    await page.getByRole('textbox', { name: /^Run name/ }).fill('reload-me');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStatus(page, dashboard(page), 'running', 30_000);
    const runId = (await dashboard(page).getAttribute('data-run-id'))!;
    await waitForProgress(
      page,
      'a progress update',
      async () => (await numberOf(page, progressBar(page), 'data-updates')) >= 1,
    );
    const before = await numberOf(page, progressBar(page), 'data-iteration');

    await page.reload();
    await dashboard(page)
      .and(page.locator(`[data-run-id="${runId}"][data-status="running"]`))
      .waitFor({ timeout: 30_000 });
    assert.match(await page.locator('section[aria-label="Training log"]').innerText(), /Reattached to the running run/);
    await waitForProgress(
      page,
      'progress after the reload',
      async () => (await numberOf(page, progressBar(page), 'data-iteration')) > before,
    );
    assert.ok((await numberOf(page, lossChart(page), 'data-points')) >= 1);

    await dashboard(page).getByRole('button', { name: 'Stop' }).click();
    await page.locator(`tr[data-run-id="${runId}"][data-status="stopped"]`).waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  'the runs list opens a finished run, overlays two runs, exports one as ONNX, and deletes one only after confirmation',
  { timeout: 60_000 },
  async () => {
    const runs = await api.call('runs.list', { project });
    const finished = runs.find((r) => r.status === 'finished');
    const stopped = runs.find((r) => r.status === 'stopped');
    assert.ok(finished && stopped, 'the tests above leave a finished and a stopped run');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);
    await openTrainView(page);

    await page
      .locator(`tr[data-run-id="${finished.id}"]`)
      .getByRole('button', { name: finished.name, exact: true })
      .click();
    await dashboard(page)
      .and(page.locator(`[data-run-id="${finished.id}"][data-status="finished"]`))
      .waitFor();
    await waitUntil('the stored curve', async () => (await numberOf(page, lossChart(page), 'data-points')) >= 3);

    await page.getByRole('checkbox', { name: `Compare ${finished.name}` }).check();
    await page.getByRole('checkbox', { name: `Compare ${stopped.name}` }).check();
    const overlay = page.locator('figure[aria-label="Training loss (smoothed), by run"]');
    await overlay.waitFor();
    assert.ok((await numberOf(page, overlay, 'data-points')) >= 3);
    assert.equal(await overlay.locator('.u-legend .u-series').count(), 3, 'x plus one series per run');
    await overlay.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'training-dashboard-compare');

    // A stopped run exports its newest checkpoint's network.
    await page.getByRole('button', { name: `Export ${stopped.name} as ONNX` }).click();
    const status = page.getByRole('status').filter({ hasText: `Exported ${stopped.name}` });
    await status.waitFor();
    const file = join(project, 'exports', `${safeFileName(stopped.name)}.onnx`);
    assert.ok((await status.innerText()).includes(file), await status.innerText());
    const onnx = readFileSync(file);
    assert.deepEqual([...onnx.subarray(0, 2)], [0x08, 0x07], 'an ONNX ModelProto starting with ir_version 7');

    const row = page.locator(`tr[data-run-id="${stopped.id}"]`);
    await row.getByRole('button', { name: `Delete ${stopped.name}` }).click();
    await row.getByRole('button', { name: 'Keep' }).click();
    assert.equal(await row.count(), 1, 'Keep leaves the run alone');
    await row.getByRole('button', { name: `Delete ${stopped.name}` }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(
      (await api.call('runs.list', { project })).map((r) => r.id),
      [finished.id],
    );
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  'a dropped connection shows a banner, and on reconnect the dashboard catches up with what it missed',
  { timeout: 120_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // The page's WebSocket goes through a route the test can cut, and keep cut, at will.
    let blocked = false;
    let current: WebSocketRoute | null = null;
    await page.routeWebSocket(/\/api$/, (ws) => {
      if (blocked) return void ws.close();
      ws.connectToServer();
      current = ws;
    });
    // Started elsewhere while the page watches: the page has seen its 'started' event.
    await openTrainView(page);
    const { runId } = await api.call('training.start', {
      project,
      settings: { model: 'alexnet-tiny', optimizer: 'Adam', lr: 0.001, epochs: 200, batchSize: 8 },
      name: 'long-run',
    });
    await dashboard(page)
      .and(page.locator(`[data-run-id="${runId}"][data-status="running"]`))
      .waitFor({ timeout: 30_000 });
    await waitForProgress(
      page,
      'a first iteration',
      async () => (await numberOf(page, progressBar(page), 'data-iteration')) > 0,
    );

    blocked = true;
    await current!.close();
    const banner = page.getByRole('alert').filter({ hasText: 'connection to the studio was lost' });
    await banner.waitFor();
    await saveScreenshot(page, 'training-dashboard-connection-lost');
    // The run ends while the page is cut off: its 'stopped' event never reaches the page.
    await api.call('training.stop', { project, runId });
    await pollUntil('the run to be closed as stopped', async () => {
      const { run } = await api.call('runs.get', { project, runId });
      return run.status === 'stopped' && run.taskId === null;
    });
    assert.equal(
      await dashboard(page).getAttribute('data-status'),
      'running',
      'cut off, the page still shows the run as it last heard of it',
    );

    blocked = false;
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    await waitForStatus(page, dashboard(page), 'stopped', 10_000);
    await page.locator(`tr[data-run-id="${runId}"][data-status="stopped"]`).waitFor({ timeout: 10_000 });
    await page.close();
  },
);
