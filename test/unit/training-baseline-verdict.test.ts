// A run that ends below its mean-pose baseline says so; one that beats it does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { belowBaselineNote } from '../../src-shared/training/baseline-verdict';

const run = (status: string, bestValPck: number | null, lastValPck: number | null, baselineValPck: number | null) => ({
  status,
  bestValPck,
  lastValPck,
  baselineValPck,
});

test("the issue's run, 23.6 % against a 28.8 % baseline, is named below it", () => {
  const note = belowBaselineNote(run('finished', 0.236, 0.236, 0.288));
  assert.match(note ?? '', /ended below the mean-pose baseline: its best validation PCK is 23\.6% against 28\.8%/);
  assert.match(
    belowBaselineNote(run('stopped', 0.1, 0.05, 0.2)) ?? '',
    /below the mean-pose baseline/,
    'a stopped run too',
  );
});

test('a final model that fell below the baseline after beating it is named, with its best', () => {
  assert.match(
    belowBaselineNote(run('finished', 0.35, 0.25, 0.288)) ?? '',
    /final model ends below the mean-pose baseline \(last validation PCK 25\.0% against 28\.8%\), though it reached 35\.0%/,
  );
});

test('nothing is said while the run goes on, when it beats the baseline, or without both figures', () => {
  assert.equal(belowBaselineNote(run('running', 0.1, 0.1, 0.288)), null);
  assert.equal(belowBaselineNote(run('finished', 0.3, 0.3, 0.288)), null);
  assert.equal(belowBaselineNote(run('finished', null, null, 0.288)), null);
  assert.equal(belowBaselineNote(run('finished', 0.1, 0.1, null)), null);
});
