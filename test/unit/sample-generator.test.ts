import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { generateSample, SAMPLE_IMAGES, type GeneratedSample } from '../../src-main/core/sample/generate-sample';
import { parseCoco } from '../../src-main/core/formats/coco';
import { parseReferenceCsv } from '../../src-main/core/formats/reference-csv';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { StudioError } from '../../src-shared/api/define';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-sample-');
after(temp.cleanup);

let first: GeneratedSample;
before(async () => {
  first = await generateSample({ outDir: join(temp.dir, 'a'), count: 50, seed: 11 });
});

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('the same seed writes the same bytes; another seed writes other pictures', async () => {
  const again = await generateSample({ outDir: join(temp.dir, 'b'), count: 50, seed: 11, concurrency: 1 });
  for (const name of readdirSync(join(first.outDir, SAMPLE_IMAGES))) {
    assert.equal(sha(join(again.outDir, SAMPLE_IMAGES, name)), sha(join(first.outDir, SAMPLE_IMAGES, name)), name);
  }
  assert.equal(sha(again.csvPath), sha(first.csvPath));
  assert.equal(sha(again.cocoPath), sha(first.cocoPath));

  const other = await generateSample({ outDir: join(temp.dir, 'c'), count: 5, seed: 12 });
  assert.notEqual(sha(other.examples[0].imagePath), sha(first.examples[0].imagePath));
});

test('every picture is a distinct, readable JPEG of the size its labels state', async () => {
  const hashes = new Set(first.examples.map((e) => sha(e.imagePath)));
  assert.equal(hashes.size, 50);
  for (const e of first.examples) {
    const meta = await sharp(e.imagePath).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.deepEqual([meta.width, meta.height], [e.width, e.height]);
    assert.ok(e.width >= 220 && e.width <= 320 && e.height >= 220 && e.height <= 320, `${e.width}x${e.height}`);
    assert.equal(e.joints.length, 14);
    for (const [x, y, v] of e.joints) {
      const outside = x < 0 || y < 0 || x >= e.width || y >= e.height;
      assert.ok(v === 1 || v === 2);
      if (outside) assert.equal(v, 1, 'a joint outside the frame is never visible');
    }
  }
  const visible = first.examples.flatMap((e) => e.joints).filter(([, , v]) => v === 2).length;
  assert.ok(visible > 0.7 * 50 * 14 && visible < 50 * 14, `${visible} visible joints: most, not all`);
  assert.equal(first.joints.visible, visible);
});

test('the reference list and the COCO file read back, through the importers, as the generated labels', async () => {
  const csv = await parseReferenceCsv(first.csvPath, 14);
  assert.equal(csv.problems.length, 0);
  assert.equal(csv.records.length, 50);
  const coco = await parseCoco(first.cocoPath);
  assert.equal(coco.problems.length, 0);
  assert.deepEqual(coco.skeleton?.joints, LSP14.joints);
  first.examples.forEach((e, i) => {
    assert.equal(csv.records[i].imagePath, e.imagePath);
    assert.equal(coco.records[i].imagePath, e.imagePath);
    const fromCoco = coco.records[i].instances[0].joints;
    const fromCsv = csv.records[i].instances[0].joints;
    e.joints.forEach(([x, y, v], j) => {
      assert.ok(Math.abs(fromCoco[j][0] - x) <= 0.005 && Math.abs(fromCoco[j][1] - y) <= 0.005);
      assert.equal(fromCoco[j][2], v);
      assert.ok(Math.abs(fromCsv[j][0] - x) <= 0.005 && Math.abs(fromCsv[j][1] - y) <= 0.005);
      assert.equal(fromCsv[j][2], v === 2 ? 1 : 0);
    });
  });
});

test('a folder that already holds pictures is refused; bad counts are refused', async () => {
  await assert.rejects(
    generateSample({ outDir: first.outDir, count: 1, seed: 1 }),
    (e: unknown) => e instanceof StudioError && e.kind === 'conflict',
  );
  await assert.rejects(
    generateSample({ outDir: join(temp.dir, 'd'), count: 0, seed: 1 }),
    (e: unknown) => e instanceof StudioError && e.kind === 'invalid-argument',
  );
  await assert.rejects(generateSample({ outDir: join(temp.dir, 'd'), count: 2.5, seed: 1 }), /whole number/);
});

test('a cancelled generation stops and writes no label files', async () => {
  const controller = new AbortController();
  const outDir = join(temp.dir, 'e');
  await assert.rejects(
    generateSample({
      outDir,
      count: 200,
      seed: 1,
      signal: controller.signal,
      onProgress: (done) => done === 5 && controller.abort(),
    }),
    (e: unknown) => e instanceof StudioError && e.kind === 'cancelled',
  );
  assert.deepEqual(
    readdirSync(outDir).filter((f) => f !== SAMPLE_IMAGES),
    [],
  );
  assert.ok(readdirSync(join(outDir, SAMPLE_IMAGES)).length < 200);
});
