import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapVisibility } from '../../src-main/core/datasets/import-dataset';
import { resolveDatasetPath } from '../../src-main/core/formats/parsed-dataset';
import { flipPairsByName } from '../../src-main/core/formats/coco';
import { pathForList } from '../../src-main/core/formats/dataset-paths';
import { COCO17 } from '../../src-shared/domain/skeleton';

test('visibility: COCO kept, LSP 1 = occluded, visible-flag 0 is occluded only for real points inside the image', () => {
  assert.deepEqual(
    [0, 1, 2].map((v) => mapVisibility('coco', 5, 5, v, 10, 10)),
    [0, 1, 2],
  );
  assert.deepEqual(
    [0, 1].map((v) => mapVisibility('occluded-flag', -5, 5, v, 10, 10)),
    [2, 1],
  );
  assert.equal(mapVisibility('visible-flag', -5, 5, 1, 10, 10), 2);
  assert.equal(mapVisibility('visible-flag', 5, 5, 0, 10, 10), 1);
  assert.equal(mapVisibility('visible-flag', 0, 0, 0, 10, 10), 0);
  assert.equal(mapVisibility('visible-flag', -1, -1, 0, 10, 10), 0);
  assert.equal(mapVisibility('visible-flag', 10, 5, 0, 10, 10), 0);
});

test('dataset paths: relative ones stay inside the dataset folder, absolute ones are taken as they are', () => {
  assert.deepEqual(resolveDatasetPath('/data/set', 'images/a.jpg'), { path: '/data/set/images/a.jpg' });
  assert.match(
    (resolveDatasetPath('/data/set', '../../etc/passwd') as { reason: string }).reason,
    /escapes the dataset folder/,
  );
  assert.match((resolveDatasetPath('/data/set', 'images/../../x.jpg') as { reason: string }).reason, /escapes/);
  assert.deepEqual(resolveDatasetPath('/data/set', '/elsewhere/b.png'), { path: '/elsewhere/b.png' });
  assert.match((resolveDatasetPath('/data/set', '') as { reason: string }).reason, /empty image path/);
  assert.equal(pathForList('/out', '/out/images/a.jpg'), 'images/a.jpg');
  assert.equal(pathForList('/out', '/data/a.jpg'), '/data/a.jpg');
});

test('flip pairs from left/right joint names', () => {
  assert.deepEqual(flipPairsByName(COCO17.joints), COCO17.flipPairs);
  assert.deepEqual(flipPairsByName(['head', 'left hand', 'right hand', 'l_foot', 'r_foot']), [
    [1, 2],
    [3, 4],
  ]);
});
