// Nothing in the dataset changes behind the user's back: accepting a prediction replaces the
// label it matches, an import onto a hand-labeled image says what it replaced, splits keep the
// test images runs were measured on, and tasks end in the state that happened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import { getProjectCatalogs } from '../../src-main/core/catalog/project-catalogs';
import { addPredictions, createPredictionSet } from '../../src-main/core/catalog/predictions';
import { addMetrics, createRun } from '../../src-main/core/catalog/runs';
import { makeTempDir } from '../support/paths';
import { testStudio, type TestStudio } from '../support/studio';

const temp = makeTempDir();
const images = join(temp.dir, 'images');
let t: TestStudio;

const JOINTS = 14;
const pose = (dx: number): [number, number][] =>
  Array.from({ length: JOINTS }, (_, j) => [20 + dx + j * 3, 15 + j * 4]);

async function newProject(name: string): Promise<string> {
  const project = join(temp.dir, name);
  await t.call('projects.create', { folder: project, name, skeleton: { preset: 'lsp14' } });
  const { taskId } = await t.call('datasets.import', { project, format: 'folder', path: images });
  assert.equal((await t.finish(taskId)).state, 'succeeded');
  return project;
}

async function imageIdOf(project: string, fileName: string): Promise<number> {
  const { items } = await t.call('images.list', { project, search: fileName });
  return items[0].id;
}

async function labelByHand(project: string, imageId: number, joints: [number, number][]): Promise<number> {
  const instance = await t.call('instances.create', { project, imageId });
  await t.call('keypoints.save', {
    project,
    instanceId: instance.id,
    keypoints: joints.map(([x, y], joint) => ({ joint, x, y, visibility: 2 as const })),
  });
  return instance.id;
}

function rows<T>(project: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

before(async () => {
  mkdirSync(images);
  for (let i = 0; i < 10; i++) {
    await sharp({ create: { width: 120, height: 100, channels: 3, background: { r: 20 * i, g: 90, b: 200 - 15 * i } } })
      .jpeg()
      .toFile(join(images, `im${String(i).padStart(2, '0')}.jpg`));
  }
  t = testStudio(join(temp.dir, 'home'));
});

after(async () => {
  await t?.studio.close();
  temp.cleanup();
});

test('accepting a prediction on a hand-labeled image replaces that person, it does not add a second one', async () => {
  const project = await newProject('accept');
  const imageId = await imageIdOf(project, 'im00');
  const labeled = await labelByHand(project, imageId, pose(0));
  const catalog = getProjectCatalogs(t.studio.context).get(project);
  const set = createPredictionSet(catalog, { runId: null, modelPath: join(temp.dir, 'model'), source: 'test' });
  addPredictions(catalog, set.id, [
    {
      imagePath: join(images, 'im00.jpg'),
      imageId,
      joints: pose(5).map(([x, y]) => [x, y, 1]),
      width: 120,
      height: 100,
    },
  ]);
  const predictionId = rows<{ id: number }>(project, 'SELECT id FROM predictions WHERE set_id = ?', set.id)[0].id;

  const accepted = await t.call('predictions.accept', { project, predictionId });
  assert.deepEqual(accepted, { imageId, instanceId: labeled });
  const keypoints = rows<{ instance_id: number; x: number; source: string }>(
    project,
    'SELECT k.instance_id, k.x, k.source FROM keypoints k JOIN instances n ON n.id = k.instance_id WHERE n.image_id = ? ORDER BY k.joint',
    imageId,
  );
  assert.equal(new Set(keypoints.map((k) => k.instance_id)).size, 1, 'one person on the image');
  assert.deepEqual(
    keypoints.map((k) => [k.x, k.source]),
    pose(5).map(([x]) => [x, 'model']),
  );
});

test('importing a list onto a hand-labeled image replaces that person and reports it', async () => {
  const project = await newProject('merge');
  const imageId = await imageIdOf(project, 'im01');
  const labeled = await labelByHand(project, imageId, pose(0));
  const list = join(temp.dir, 'merge.csv');
  const line = (name: string, dx: number) => [join(images, name), ...pose(dx).flatMap(([x, y]) => [x, y, 1])].join(',');
  writeFileSync(list, `${line('im01.jpg', 7)}\n${line('im02.jpg', 3)}\n`);

  const { taskId } = await t.call('datasets.import', { project, format: 'csv', path: list });
  const task = await t.finish(taskId);
  assert.equal(task.state, 'succeeded');
  const report = task.result as { instancesAdded: number; instancesReplaced: number };
  assert.equal(report.instancesReplaced, 1);
  assert.equal(report.instancesAdded, 1);
  const onImage = rows<{ instance_id: number; x: number }>(
    project,
    'SELECT k.instance_id, k.x FROM keypoints k JOIN instances n ON n.id = k.instance_id WHERE n.image_id = ? ORDER BY k.joint',
    imageId,
  );
  assert.deepEqual(
    onImage.map((k) => [k.instance_id, k.x]),
    pose(7).map(([x]) => [labeled, x]),
  );
});

// The workspace's box tool gives a hand-labeled person a box; a list never carries one. The
// person was still the same one, and the import added a second (28 joints, badge "2").
test('importing a list onto a hand-labeled image whose person has a drawn box replaces that person too', async () => {
  const project = await newProject('merge-boxed');
  const imageId = await imageIdOf(project, 'im03');
  const labeled = await labelByHand(project, imageId, pose(0));
  await t.call('instances.setBox', { project, instanceId: labeled, box: [10, 5, 90, 80] });
  const list = join(temp.dir, 'merge-boxed.csv');
  writeFileSync(list, `${[join(images, 'im03.jpg'), ...pose(4).flatMap(([x, y]) => [x, y, 1])].join(',')}\n`);

  const task = await t.finish((await t.call('datasets.import', { project, format: 'csv', path: list })).taskId);
  assert.equal(task.state, 'succeeded', task.error ?? '');
  assert.deepEqual(task.result, { ...(task.result as object), instancesReplaced: 1, instancesAdded: 0 });
  const people = rows<{ id: number; box_x: number | null }>(
    project,
    'SELECT id, box_x FROM instances WHERE image_id = ?',
    imageId,
  );
  assert.deepEqual(people, [{ id: labeled, box_x: 10 }], 'one person, who keeps the box drawn for them');
  const xs = rows<{ x: number }>(
    project,
    'SELECT k.x FROM keypoints k WHERE k.instance_id = ? ORDER BY k.joint',
    labeled,
  ).map((k) => k.x);
  assert.deepEqual(
    xs,
    pose(4).map(([x]) => x),
  );
});

test('a click stored as 186.59999629756712 exports as 186.6: coordinates kept and written to 0.01 px', async () => {
  const project = await newProject('precision');
  const imageId = await imageIdOf(project, 'im04');
  const noisy = pose(0).map(([x, y], j): [number, number] =>
    j === 0 ? [86.59999629756712, 40.00000610351562] : [x + 0.1 * 3, y],
  );
  await labelByHand(project, imageId, noisy);
  const list = join(project, 'exports', 'precise.csv');
  assert.equal(
    (await t.finish((await t.call('datasets.export', { project, format: 'csv', path: list })).taskId)).state,
    'succeeded',
  );
  const cells = readFileSync(list, 'utf8').trim().split(',');
  assert.deepEqual(cells.slice(1, 4), ['86.6', '40', '1']);
  assert.ok(
    cells.slice(1).every((c) => !/\.\d{3}/.test(c)),
    `no float noise: ${cells.slice(1).join(',')}`,
  );
});

// Reattaching rebuilds the log from the stored rows: each line needs its own time, not the run's start.
test("a run's stored metric rows come back with their own times", async () => {
  const project = await newProject('log-times');
  const catalog = getProjectCatalogs(t.studio.context).get(project);
  const run = createRun(catalog, { name: 'timed', config: {} });
  addMetrics(catalog, run.id, [
    { epoch: 1, iteration: 10, split: 'train', loss: 0.5, pck: null, imagesPerSecond: 20, at: 1_000_000 },
    { epoch: 2, iteration: 20, split: 'val', loss: 0.4, pck: 0.1, imagesPerSecond: null, at: 1_060_000 },
  ]);
  const { metrics } = await t.call('runs.get', { project, runId: run.id });
  assert.deepEqual(
    metrics.map((m) => m.at),
    [1_000_000, 1_060_000],
  );
});

test('an import whose every record was rejected ends as failed, naming the problem', async () => {
  const project = await newProject('rejected');
  const list = join(temp.dir, 'rejected.csv');
  writeFileSync(
    list,
    `${join(images, 'missing.jpg')},${pose(0)
      .flatMap(([x, y]) => [x, y, 1])
      .join(',')}\n`,
  );
  const { taskId } = await t.call('datasets.import', { project, format: 'csv', path: list, skipBadRecords: true });
  const task = await t.finish(taskId);
  assert.equal(task.state, 'failed');
  assert.match(task.error ?? '', /every record was rejected/);
  assert.match(task.error ?? '', /missing\.jpg/);
});

test('assigning splits again once a run exists keeps the test images where they are', async () => {
  const project = await newProject('splits');
  await t.call('splits.assign', { project, seed: 1, ratios: { train: 60, val: 20, test: 20 } });
  const testBefore = rows<{ id: number }>(project, "SELECT id FROM images WHERE split = 'test' ORDER BY id").map(
    (r) => r.id,
  );
  assert.equal(testBefore.length, 2);
  const catalog = getProjectCatalogs(t.studio.context).get(project);
  createRun(catalog, { name: 'r', config: {} });

  const counts = await t.call('splits.assign', { project, seed: 99, ratios: { train: 50, val: 0, test: 50 } });
  const testAfter = rows<{ id: number }>(project, "SELECT id FROM images WHERE split = 'test' ORDER BY id").map(
    (r) => r.id,
  );
  assert.deepEqual(testAfter, testBefore, 'the test split is fixed once runs were measured on it');
  assert.equal(counts.test, 2);
  assert.equal(counts.train, 8);
  assert.equal(counts.keptTest, true);
});
