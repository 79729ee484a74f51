// The Train view's per-joint table: a run on a project imported from a reference list (all
// train, so the run holds out a default val split) ends with its last validation per joint,
// every stage beside the mean-pose baseline, so that weak joints show. Built `serve`, Debian
// chromium, real training in the worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, saveScreenshot, watchErrors } from '../support/browser';
import { makeTempDir, repoRoot } from '../support/paths';
import { startServe, type ServeProcess } from '../support/serve';
import { connectApi, waitUntil, type TestApi } from '../support/ws-client';

let serve: ServeProcess;
let browser: Browser;
let api: TestApi;
let project: string;
const temp = makeTempDir();

before(async () => {
  const sampleDir = join(temp.dir, 'sample');
  execFileSync(
    process.execPath,
    [join(repoRoot, 'bin', 'deeppose.js'), 'sample', '--out', sampleDir, '--count', '30', '--seed', '4'],
    { stdio: 'ignore' },
  );
  serve = await startServe(join(temp.dir, 'home'));
  browser = await launchBrowser();
  api = await connectApi(serve);
  project = (
    await api.call('projects.create', {
      folder: join(temp.dir, 'project'),
      name: 'Reference list',
      skeleton: { preset: 'lsp14' },
    })
  ).path;
  const { taskId } = await api.call('datasets.import', { project, format: 'csv', path: join(sampleDir, 'sample.csv') });
  await waitUntil('the import', async () => (await api.call('tasks.get', { id: taskId })).state === 'succeeded');
});

after(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  temp.cleanup();
});

test(
  'a finished two-stage run shows PCK per joint and stage beside the baseline, and its default split in the log',
  { timeout: 240_000 },
  async () => {
    const started = await api.call('training.start', {
      project,
      settings: {
        model: 'alexnet-tiny',
        optimizer: 'Adam',
        lr: 0.001,
        epochs: 1,
        batchSize: 8,
        stages: 2,
        refineEpochs: 1,
      },
      name: 'per-joint',
    });
    assert.match(started.note ?? '', /held out 3 of 30 train pictures as val/);
    await waitUntil(
      'the run',
      async () => (await api.call('tasks.get', { id: started.taskId })).state !== 'running',
      180_000,
    );
    const { run } = await api.call('runs.get', { project, runId: started.runId });
    assert.equal(run.status, 'finished', run.error ?? '');

    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    const errors = watchErrors(page);
    await page.goto(`${serve.url}#/p/${encodeURIComponent(project)}/train`);
    await page.getByRole('button', { name: 'per-joint', exact: true }).click();
    const table = page.locator('section[aria-label="Per-joint accuracy"]');
    await table.waitFor({ timeout: 20_000 });
    const rows = table.getByTestId('joint-row');
    assert.equal(await rows.count(), 14);
    const wrist = await table.locator('tr[data-joint="left wrist"]').locator('td').allInnerTexts();
    // stage 1, stage 2, baseline, error
    assert.equal(wrist.length, 4);
    for (const cell of wrist.slice(0, 3)) assert.match(cell, /^\d+\.\d%$/);
    assert.match(wrist[3], /^\d+\.\d px$/);
    const report = run.valReport!;
    assert.equal(wrist[1], `${(100 * report.stages[1].pckPerJoint[11]!).toFixed(1)}%`);
    assert.match(
      await table.getByTestId('report-headline').innerText(),
      /^3 people · PCK@0\.2 \d+\.\d% · PCKh@0\.5 \d+\.\d% · PCP@0\.5 \d+\.\d% · baseline PCK \d+\.\d%, PCP \d+\.\d%$/,
    );
    assert.match(
      await page.locator('section[aria-label="Training log"]').innerText(),
      /No validation pictures: held out 3 of 30 train pictures as val/,
    );
    await saveScreenshot(page, 'per-joint-table');
    assert.deepEqual(errors, []);
  },
);
