import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smoothEma } from '../../src-renderer/src/lib/training/smoothing';
import { formatEta, formatLoss, formatPck, formatRate } from '../../src-renderer/src/lib/training/format';

test('the smoothed curve starts at the first value (debiased) and follows a step without overshooting', () => {
  const smoothed = smoothEma([10, 10, 10, 0, 0, 0, 0, 0, 0, 0], 0.6) as number[];
  assert.equal(smoothed[0], 10);
  assert.equal(smoothed[2], 10);
  for (let i = 4; i < smoothed.length; i++)
    assert.ok(smoothed[i] < smoothed[i - 1] && smoothed[i] > 0, `point ${i}: ${smoothed[i]}`);
  assert.ok(smoothed[9] < 0.5);
});

test('weight 0 is the raw curve; a diverged value leaves a gap and does not poison what follows', () => {
  assert.deepEqual(smoothEma([3, 1, 2], 0), [3, 1, 2]);
  const smoothed = smoothEma([1, Number.NaN, 1, Number.POSITIVE_INFINITY, 1], 0.9);
  assert.deepEqual(
    smoothed.map((v) => (v == null ? null : Math.round(v * 1e9) / 1e9)),
    [1, null, 1, null, 1],
  );
});

test('figures are written with their units', () => {
  assert.equal(formatEta(null), 'ETA estimating…');
  assert.equal(formatEta(75), 'ETA 1m 15s');
  assert.equal(formatEta(-3), 'ETA 0s');
  assert.equal(formatRate(12.345), '12.3 images/s');
  assert.equal(formatRate(512.7), '513 images/s');
  assert.equal(formatPck(0.4567), '45.7%');
  assert.equal(formatPck(null), '—');
  assert.equal(formatLoss(0.0123456), '0.01235');
  assert.equal(formatLoss(Number.NaN), 'NaN');
});
