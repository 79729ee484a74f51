// A PyTorch run started from the Train view (the built `serve`, Debian chromium, the user's
// python3 with torch under torchrun, 2 gloo processes) shows its loss curve growing while it
// trains and its validation PCK when it ends, as a run of the CPU engines does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir, repoRoot } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, waitUntil, type TestApi } from '../support/ws-client';
import { pythonWithTorch } from '../support/python-torch';

const skip = pythonWithTorch.skip;
let serve: ServeProcess;
let browser: Browser;
let api: TestApi;
let project: string;
const temp = makeTempDir();

before(async () => {
  if (skip) return;
  const sampleDir = join(temp.dir, 'sample');
  execFileSync(
    process.execPath,
    [join(repoRoot, 'bin', 'deeppose.js'), 'sample', '--out', sampleDir, '--count', '30', '--seed', '3'],
    { stdio: 'ignore' },
  );
  // The studio runs python3 from PATH unless the view names one: here the python3 that has torch.
  serve = await startServe(join(temp.dir, 'home'), {
    PATH: `${dirname(pythonWithTorch.python!)}:${process.env.PATH ?? ''}`,
  });
  browser = await launchBrowser();
  api = await connectApi(serve);
  project = (
    await api.call('projects.create', {
      folder: join(temp.dir, 'project'),
      name: 'Torch',
      skeleton: { preset: 'lsp14' },
    })
  ).path;
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

const dashboard = (page: Page) => page.locator('section[aria-label="Training progress"]');
const lossChart = (page: Page) => page.locator('figure[aria-label="Training loss"]');
const points = async (page: Page) => Number((await lossChart(page).getAttribute('data-points')) ?? 0);

test(
  'a PyTorch run from the Train view draws its loss live and ends with its validation PCK',
  { skip, timeout: 300_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/train`);
    await page.getByTestId('instances-train').waitFor({ timeout: 20_000 });
    await page.getByLabel('Engine', { exact: true }).selectOption('torch');
    await page.getByLabel('Optimizer', { exact: true }).selectOption('Adam');
    await page.getByLabel('Architecture', { exact: true }).selectOption('alexnet-tiny');
    await page.getByLabel('Epochs', { exact: true }).fill('8');
    await page.getByLabel('Batch size', { exact: true }).fill('4');
    await page.getByLabel('Cascade stages', { exact: true }).fill('1');
    // This machine's PyTorch: two gloo processes under torchrun.
    await page.getByLabel(/^Processes/).fill('2');
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    const status = () => dashboard(page).getAttribute('data-status');
    await dashboard(page).and(page.locator('[data-status="running"]')).waitFor({ timeout: 60_000 });
    const runId = (await dashboard(page).getAttribute('data-run-id'))!;
    // Live: points arrive while the run is still running, and keep arriving.
    const first = await waitUntil(
      'two loss points while running',
      async () => {
        const s = await status();
        if (s === 'failed') throw new Error(`the run failed: ${await dashboard(page).innerText()}`);
        const n = await points(page);
        return s === 'running' && n >= 2 && n;
      },
      120_000,
    );
    await waitUntil(
      'more loss points while running',
      async () => (await status()) === 'running' && (await points(page)) > first,
      120_000,
    );
    await saveScreenshot(page, 'torch-live-curves-running');
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row.and(page.locator('[data-status="finished"]')).waitFor({ timeout: 180_000 });
    assert.match(await row.getByTestId('best-pck').innerText(), /^\d+(\.\d)?%$/);
    assert.match(await page.getByTestId('open-best-pck').innerText(), /^\d+(\.\d)?%$/);
    assert.equal((await row.locator('td').nth(3).innerText()).trim(), 'torch');
    assert.ok((await points(page)) > first, 'the finished run keeps its curve');
    assert.match(await page.getByTestId('run-where').innerText(), /epoch 8\/8/i);
    assert.match(
      await page.locator('section[aria-label="Training log"]').innerText(),
      /PyTorch .* on cpu ×2 .*DistributedDataParallel/,
    );
    const { run } = await api.call('runs.get', { project, runId });
    assert.equal(run.status, 'finished');
    assert.ok(run.bestValPck !== null);
    await saveScreenshot(page, 'torch-live-curves-finished');
    assert.deepEqual(errors, []);
  },
);
