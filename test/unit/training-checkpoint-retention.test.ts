// Which checkpoints a run keeps: the newest (resume starts there) and, by default, the one
// with the best validation PCK, which the final model may have fallen from.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pruneCheckpoints } from '../../src-main/core/training/checkpoints';
import { checkpointsDir } from '../../src-main/core/pose/checkpoint-folder';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

/** A run folder with checkpoints after epochs 1..n, each validated at its own iteration with `pcks[i]` (null: not validated). */
function runWith(name: string, pcks: (number | null)[]): string {
  const runDir = join(temp.dir, name);
  pcks.forEach((pck, i) => {
    const iteration = 10 * (i + 1);
    const dir = join(
      checkpointsDir(runDir),
      `epoch-${String(i + 1).padStart(4, '0')}-batch-00000-iter-${String(iteration).padStart(8, '0')}`,
    );
    mkdirSync(dir, { recursive: true });
    const history =
      pck === null ? [] : [{ epoch: i + 1, iteration, split: 'val', loss: 1, pck, imagesPerSecond: null }];
    writeFileSync(join(dir, 'progress.json'), JSON.stringify({ stage: 1, epoch: i + 1, batch: 0, iteration, history }));
  });
  return runDir;
}

const kept = (runDir: string) => readdirSync(checkpointsDir(runDir)).map((n) => Number(n.slice(6, 10)));

test('the default keeps the newest and the best-validated checkpoint', () => {
  const runDir = runWith('best', [0.1, 0.4, 0.3, null, 0.2]);
  pruneCheckpoints(runDir, { keep: 1, keepBest: true });
  assert.deepEqual(kept(runDir), [2, 5]);
});

test('the newest is also the best: one checkpoint stays; a tie goes to the newer', () => {
  const runDir = runWith('newest-best', [0.1, 0.3, 0.3]);
  pruneCheckpoints(runDir, { keep: 1, keepBest: true });
  assert.deepEqual(kept(runDir), [3]);
});

test('without keepBest only the newest stay; keep 0 keeps every checkpoint', () => {
  const newest = runWith('newest-only', [0.5, 0.1, 0.2]);
  pruneCheckpoints(newest, { keep: 2, keepBest: false });
  assert.deepEqual(kept(newest), [2, 3]);
  const all = runWith('all', [0.5, 0.1, 0.2]);
  assert.deepEqual(pruneCheckpoints(all, { keep: 0, keepBest: true }), []);
  assert.deepEqual(kept(all), [1, 2, 3]);
});
