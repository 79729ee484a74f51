import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, makeTempDir, repoRoot } from '../support/paths';
import { poseModelSkip } from '../support/pose-model';

const temp = makeTempDir();
after(() => temp.cleanup());
const photo = join(fixturesDir, 'real-photos', 'vtest_06.jpg');
const modelSkip = poseModelSkip;

const suggest = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), 'suggest', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });

test('deeppose suggest without the model says in one line what is missing, and writes nothing', () => {
  const empty = join(temp.dir, 'no-models');
  mkdirSync(empty);
  const out = join(temp.dir, 'none.csv');
  const run = suggest('--input', photo, '--out', out, '--models', empty);
  assert.notEqual(run.status, 0);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(
    lines[0],
    /^deeppose suggest: the built-in pose model is not installed \(.*centernet\.json does not exist\): install the optional package with `npm install @vladmandic\/human@3\.3\.6`/,
  );
  assert.throws(() => readFileSync(out));
});

test(
  'deeppose suggest writes one row or annotation per person and never replaces a file unasked',
  { skip: modelSkip },
  () => {
    const csv = join(temp.dir, 'people.csv');
    const run = suggest('--input', photo, '--out', csv);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /suggested 7 people on 1 of 1 images \(wasm, .*\): mean \d+ ms\/image/);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(rows.length, 7);
    for (const row of rows) assert.equal(row.split(',').length, 1 + 14 * 3);

    writeFileSync(join(temp.dir, 'kept.json'), 'mine');
    const refused = suggest('--input', photo, '--out', join(temp.dir, 'kept.json'), '--format', 'coco');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /kept\.json already exists/);
    assert.equal(readFileSync(join(temp.dir, 'kept.json'), 'utf8'), 'mine');
    const replaced = suggest('--input', photo, '--out', join(temp.dir, 'kept.json'), '--format', 'coco', '--overwrite');
    assert.equal(replaced.status, 0, replaced.stderr);
    const coco = JSON.parse(readFileSync(join(temp.dir, 'kept.json'), 'utf8'));
    assert.equal(coco.annotations.length, 7);
    assert.ok(
      coco.annotations.every(
        (a: { score: number; keypoint_scores: number[] }) => a.score > 0 && a.keypoint_scores.length === 14,
      ),
    );
  },
);
