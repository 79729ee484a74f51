import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createProject, projectSummary } from '../../src-main/core/catalog/project-info';
import { getImage, listImages, setSplit } from '../../src-main/core/catalog/images';
import { createInstance, deleteInstance, saveKeypoints, insertInstance } from '../../src-main/core/catalog/instances';
import { assignSplits } from '../../src-main/core/catalog/splits';
import { listExamples } from '../../src-main/core/catalog/examples';
import {
  addMetrics,
  createRun,
  deleteRun,
  getRun,
  listMetrics,
  listRuns,
  updateRun,
} from '../../src-main/core/catalog/runs';
import {
  acceptPrediction,
  addPredictions,
  createPredictionSet,
  listPredictions,
} from '../../src-main/core/catalog/predictions';
import type { Catalog } from '../../src-main/core/catalog/open-catalog';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

/** Images rows straight in SQL: these tests are about the catalog, not ingestion. */
function addImages(catalog: Catalog, n: number): number[] {
  const insert = catalog.db.prepare(
    'INSERT INTO images (path, sha256, width, height, added_at) VALUES (?, ?, 100, 80, 0)',
  );
  return catalog.db.transaction(() =>
    Array.from({ length: n }, (_, i) =>
      Number(insert.run(`/data/img${String(i).padStart(3, '0')}.jpg`, `sha-${i}`).lastInsertRowid),
    ),
  )();
}

test('instances hold one keypoint per joint; saving is idempotent and marks keypoints human', () => {
  const catalog = createProject(join(temp.dir, 'edit'), 'Edit', LSP14);
  const [imageId] = addImages(catalog, 1);
  const instance = createInstance(catalog, imageId);
  assert.equal(instance.keypoints.length, 14);
  assert.ok(instance.keypoints.every((k) => k.visibility === 0));
  assert.equal(getImage(catalog, imageId).image.status, 'unlabeled');

  const labels = LSP14.joints.map((_, joint) => ({ joint, x: 10 + joint, y: 20 + joint, visibility: 2 as const }));
  const once = saveKeypoints(catalog, instance.id, labels);
  const twice = saveKeypoints(catalog, instance.id, labels);
  assert.deepEqual(twice, once);
  assert.equal(once.keypoints[3].x, 13);
  assert.equal(getImage(catalog, imageId).image.status, 'labeled');
  saveKeypoints(catalog, instance.id, [{ joint: 0, x: 0, y: 0, visibility: 0 }]);
  const partial = getImage(catalog, imageId);
  assert.equal(partial.image.status, 'partial');
  assert.equal(partial.image.labeledJoints, 13);
  assert.throws(
    () => saveKeypoints(catalog, instance.id, [{ joint: 14, x: 0, y: 0, visibility: 2 }]),
    /joint 14 does not exist/,
  );

  assert.equal(listExamples(catalog).length, 1);
  deleteInstance(catalog, instance.id);
  assert.equal((catalog.db.prepare('SELECT COUNT(*) AS n FROM keypoints').get() as { n: number }).n, 0);
  assert.throws(() => deleteInstance(catalog, instance.id), /no instance with id/);
  catalog.close();
});

test('lists pages filtered by split, status and search', () => {
  const catalog = createProject(join(temp.dir, 'list'), 'List', LSP14);
  const ids = addImages(catalog, 30);
  setSplit(catalog, ids.slice(0, 5), 'val');
  const instance = createInstance(catalog, ids[7]);
  saveKeypoints(catalog, instance.id, [{ joint: 2, x: 1, y: 2, visibility: 1 }]);
  assert.equal(listImages(catalog, { split: 'val' }).total, 5);
  assert.deepEqual(
    listImages(catalog, { status: 'partial' }).items.map((i) => i.id),
    [ids[7]],
  );
  assert.equal(listImages(catalog, { search: 'img01' }).total, 10);
  assert.equal(listImages(catalog, { search: '%' }).total, 0);
  const page = listImages(catalog, { offset: 10, limit: 7 });
  assert.equal(page.total, 30);
  assert.deepEqual(
    page.items.map((i) => i.id),
    ids.slice(10, 17),
  );
  assert.equal(page.items[0].fileName, 'img010.jpg');
  assert.deepEqual(projectSummary(catalog).perSplit, { train: 25, val: 5, test: 0 });
  catalog.close();
});

test('split assignment is reproducible from seed and ratios', () => {
  const a = createProject(join(temp.dir, 'split-a'), 'A', LSP14);
  const b = createProject(join(temp.dir, 'split-b'), 'B', LSP14);
  addImages(a, 50);
  addImages(b, 50);
  const splitsOf = (c: Catalog) =>
    (c.db.prepare('SELECT sha256, split FROM images ORDER BY sha256').all() as Array<{ split: string }>)
      .map((r) => r.split)
      .join();
  assert.deepEqual(assignSplits(a, 7, { train: 0.8, val: 0.1, test: 0.1 }), {
    train: 40,
    val: 5,
    test: 5,
    keptTest: false,
  });
  assignSplits(b, 7, { train: 8, val: 1, test: 1 });
  assert.equal(splitsOf(a), splitsOf(b));
  assignSplits(b, 8, { train: 8, val: 1, test: 1 });
  assert.notEqual(splitsOf(a), splitsOf(b));
  assert.throws(() => assignSplits(a, 1, { train: 0, val: 0, test: 0 }), /must add up/);
  a.close();
  b.close();
});

test('runs, metrics and accepted predictions', () => {
  const catalog = createProject(join(temp.dir, 'runs'), 'Runs', LSP14);
  const [imageId] = addImages(catalog, 1);
  const run = createRun(catalog, { name: 'first', config: { lr: 0.01 }, backend: 'cpu' });
  assert.equal(run.status, 'queued');
  assert.equal(run.dir, join(catalog.dir, 'runs', run.id));
  updateRun(catalog, run.id, { status: 'finished', bestValPck: 0.5, endedAt: 5 });
  assert.equal(getRun(catalog, run.id).bestValPck, 0.5);
  addMetrics(catalog, run.id, [
    { epoch: 1, iteration: 10, split: 'train', loss: 0.3, pck: null, imagesPerSecond: 12, at: 1 },
    { epoch: 1, iteration: 10, split: 'val', loss: 0.2, pck: 0.4, imagesPerSecond: null, at: 2 },
  ]);
  assert.equal(listMetrics(catalog, run.id).length, 2);
  assert.deepEqual(
    listRuns(catalog).map((r) => r.id),
    [run.id],
  );

  const set = createPredictionSet(catalog, { runId: run.id, modelPath: '/m', source: 'folder' });
  const joints = LSP14.joints.map((_, j) => [j, j + 1, 0.9] as [number, number, number]);
  addPredictions(catalog, set.id, [{ imagePath: '/data/img000.jpg', imageId: null, joints, width: 640, height: 480 }]);
  const [prediction] = listPredictions(catalog, set.id);
  assert.equal(prediction.imageId, imageId);
  assert.deepEqual([prediction.width, prediction.height], [640, 480]);
  const accepted = acceptPrediction(catalog, { predictionId: prediction.id });
  assert.ok(accepted.keypoints.every((k) => k.source === 'model' && k.runId === run.id && k.visibility === 2));
  assert.equal(getImage(catalog, imageId).image.hasPredictions, true);
  const corrected = saveKeypoints(catalog, accepted.id, [{ joint: 0, x: 50, y: 50, visibility: 2 }]);
  assert.equal(corrected.keypoints[0].source, 'human');
  assert.equal(corrected.keypoints[1].source, 'model');

  deleteRun(catalog, run.id);
  assert.equal(listMetrics(catalog, run.id).length, 0);
  assert.equal(getImage(catalog, imageId).instances[0].keypoints[1].runId, null);
  insertInstance(
    catalog,
    imageId,
    [1, 2, 3, 4],
    LSP14.joints.map(() => ({ x: 1, y: 1, visibility: 1 as const })),
  );
  assert.deepEqual(getImage(catalog, imageId).instances[1].box, [1, 2, 3, 4]);
  catalog.close();
});
