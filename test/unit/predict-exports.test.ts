import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  cocoImageIds,
  writePredictions,
  type ExportedPrediction,
} from '../../src-main/core/predictions/prediction-exports';
import { listInputImages } from '../../src-main/core/predictions/image-sources';
import { parseReferenceCsv } from '../../src-main/core/formats/reference-csv';
import { makeTempDir } from '../support/paths';
import { roundCoordinate } from '../../src-shared/domain/keypoint';

const temp = makeTempDir('deeppose-predict-exports-');
after(temp.cleanup);

const JOINTS = 14;
function prediction(imagePath: string, seed: number, imageId: number | null = null): ExportedPrediction {
  return {
    imagePath,
    imageId,
    joints: Array.from({ length: JOINTS }, (_, j): [number, number] => [seed * 10 + j + 0.123456789, seed * 7 - j / 3]),
  };
}

test('a reference list of predictions parses back with the same joints to 0.01 px, every joint marked visible', async () => {
  const folder = join(temp.dir, 'csv');
  const rows = [
    prediction(join(folder, 'images', 'b.jpg'), 2),
    prediction(join(folder, 'images', 'a.jpg'), 1),
    prediction('/elsewhere/c.jpg', 3),
  ];
  const { path, count } = await writePredictions(rows, 'csv', join(folder, 'predictions.csv'));
  assert.equal(count, 3);
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  // By path; images under the list's folder are named relative to it, others absolutely.
  assert.deepEqual(
    lines.map((l) => l.split(',')[0]),
    ['/elsewhere/c.jpg', 'images/a.jpg', 'images/b.jpg'],
  );
  const parsed = await parseReferenceCsv(path, JOINTS);
  assert.equal(parsed.problems.length, 0);
  assert.deepEqual(
    parsed.records.map((r) => r.instances[0].joints),
    [rows[2], rows[1], rows[0]].map((r) => r.joints.map(([x, y]) => [roundCoordinate(x), roundCoordinate(y), 1])),
  );
});

test('COCO keypoint results have the COCO layout and parse back', async () => {
  const rows = [
    prediction('/data/img/000000000785.jpg', 1),
    prediction('/data/img/000000000139.jpg', 2),
    prediction('/data/img/000000000139.jpg', 3),
  ];
  const { path } = await writePredictions(rows, 'coco', join(temp.dir, 'coco', 'results.json'));
  const results = JSON.parse(readFileSync(path, 'utf8')) as unknown[];
  assert.equal(results.length, 3);
  for (const result of results) {
    const r = result as Record<string, unknown>;
    assert.deepEqual(Object.keys(r).sort(), ['category_id', 'image_id', 'keypoints', 'score']);
    assert.ok(Number.isInteger(r.image_id));
    assert.equal(r.category_id, 1);
    assert.equal(typeof r.score, 'number');
    const keypoints = r.keypoints as unknown[];
    assert.equal(keypoints.length, 3 * JOINTS);
    assert.ok(keypoints.every((v) => typeof v === 'number' && Number.isFinite(v)));
  }
  // COCO file names carry the image id; two people in one image share it.
  assert.deepEqual(
    results.map((r) => (r as { image_id: number }).image_id),
    [139, 139, 785],
  );
  // To 0.01 px: no float noise (a network's float32 186.60000610351562 is written 186.6).
  assert.deepEqual((results[0] as { keypoints: number[] }).keypoints.slice(0, 6), [20.12, 14, 1, 21.12, 13.67, 1]);
});

test('COCO image ids: the catalog ids when every image has one, else 1, 2, ... by path', () => {
  assert.deepEqual(
    [...cocoImageIds([prediction('/x/b.png', 1, 7), prediction('/x/a.png', 2, 3)])],
    [
      ['/x/b.png', 7],
      ['/x/a.png', 3],
    ],
  );
  assert.deepEqual(
    [...cocoImageIds([prediction('/x/b.png', 1), prediction('/x/a.png', 2, 3), prediction('/x/b.png', 3)])],
    [
      ['/x/a.png', 1],
      ['/x/b.png', 2],
    ],
  );
});

test('input images come from a folder (recursively, sorted) or from a list file', async () => {
  const folder = join(temp.dir, 'input');
  mkdirSync(join(folder, 'nested'), { recursive: true });
  for (const name of ['b.png', 'nested/a.png', '.hidden.png']) {
    await sharp({ create: { width: 8, height: 8, channels: 3, background: 'black' } })
      .png()
      .toFile(join(folder, name));
  }
  writeFileSync(join(folder, 'notes.txt'), 'not an image');
  assert.deepEqual(await listInputImages(folder), [join(folder, 'b.png'), join(folder, 'nested', 'a.png')]);
  const list = join(folder, 'list.csv');
  writeFileSync(list, 'nested/a.png,1,2,1\n\nb.png\n');
  assert.deepEqual(await listInputImages(list), [join(folder, 'nested', 'a.png'), join(folder, 'b.png')]);
  writeFileSync(list, 'nested/a.png\n../escape.png\n');
  await assert.rejects(listInputImages(list), /list\.csv line 2: image path '\.\.\/escape\.png' escapes/);
  await assert.rejects(listInputImages(join(folder, 'missing')), /no such file or folder/);
});
