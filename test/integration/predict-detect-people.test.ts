// `deeppose predict --detect-people` over real photographs with several people: a tiny model
// trained in the worker, then one prediction per detected person, each through its own crop.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import { createApiClient } from '../../src-shared/api/client';
import type { Task } from '../../src-shared/api/tasks.contract';
import { itemsForDetections } from '../../src-main/core/predictions/person-detection';
import { fixturesDir, makeTempDir, repoRoot } from '../support/paths';
import { poseModelSkip } from '../support/pose-model';

const temp = makeTempDir('deeppose-detect-');
const studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: [temp.dir] });
const api = createApiClient({
  invoke: (channel, input) => studio.dispatch(channel, input) as never,
  onEvent: () => () => undefined,
  mediaUrl: (path) => path,
});
after(async () => {
  await studio.close();
  temp.cleanup();
});
const modelSkip = poseModelSkip;

test('each detected person is one item with its box; an image with nobody is predicted whole', () => {
  const items = itemsForDetections(
    ['/a.jpg', '/b.jpg'],
    [
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      [],
    ],
  );
  assert.deepEqual(items, [
    { imagePath: '/a.jpg', box: [1, 2, 3, 4] },
    { imagePath: '/a.jpg', box: [5, 6, 7, 8] },
    { imagePath: '/b.jpg', box: null },
  ]);
});

let runDir = '';
async function finished(taskId: string): Promise<Task> {
  for (;;) {
    const task = await api.call('tasks.get', { id: taskId });
    if (task.state !== 'running') return task;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

before(async () => {
  if (modelSkip) return;
  const project = join(temp.dir, 'project');
  await finished((await api.call('projects.createSample', { folder: project, count: 20, seed: 4 })).taskId);
  const run = await api.call('training.start', {
    project,
    settings: { model: 'alexnet-tiny', epochs: 1, batchSize: 8, augment: false, seed: 1 },
  });
  const trained = await finished(run.taskId);
  assert.equal(trained.state, 'succeeded', trained.error ?? '');
  runDir = (await api.call('runs.get', { project, runId: run.runId })).run.dir;
});

test(
  'predict --detect-people gives one pose per detected person, each inside its own crop',
  { skip: modelSkip },
  () => {
    const photos = join(temp.dir, 'photos');
    mkdirSync(photos);
    copyFileSync(join(fixturesDir, 'real-photos', 'vtest_06.jpg'), join(photos, 'vtest_06.jpg'));
    const out = join(temp.dir, 'people.csv');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'src-main', 'cli', 'index.ts'),
        'predict',
        '--model',
        runDir,
        '--input',
        photos,
        '--out',
        out,
        '--detect-people',
        '--no-flip-check',
      ],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /7 people found on 1 images/);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows.length, 7, 'one pose per person');
    // The suggestions' boxes of the same photo, in the same order as the detector gives them.
    const coco = join(temp.dir, 'boxes.json');
    assert.equal(
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), 'suggest', '--input', photos, '--out', coco],
        { cwd: repoRoot, encoding: 'utf8' },
      ).status,
      0,
    );
    const boxes = (JSON.parse(readFileSync(coco, 'utf8')) as { annotations: { bbox: number[] }[] }).annotations.map(
      (a) => a.bbox,
    );
    const centres = rows.map((row) => {
      const v = row.split(',').slice(1).map(Number);
      const xs = v.filter((_, i) => i % 3 === 0);
      const ys = v.filter((_, i) => i % 3 === 1);
      return [xs.reduce((a, b) => a + b, 0) / xs.length, ys.reduce((a, b) => a + b, 0) / ys.length];
    });
    // Every box holds the centre of one pose: each person went through a crop around them, not the whole image.
    for (const [x, y, w, h] of boxes) {
      const side = 1.5 * Math.max(w, h);
      const inside = centres.filter(
        ([cx, cy]) => Math.abs(cx - (x + w / 2)) <= side / 2 && Math.abs(cy - (y + h / 2)) <= side / 2,
      );
      assert.ok(inside.length >= 1, `no pose inside the crop around ${[x, y, w, h].join(',')}`);
    }
    assert.ok(new Set(centres.map((c) => c.map(Math.round).join(','))).size === 7, 'seven different poses');
  },
);
