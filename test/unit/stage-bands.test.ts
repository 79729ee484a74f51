// The cascade stages' spans on the Train view's charts: against iterations from each stage's
// first point, against epochs the stage's own epochs; none for a one-stage run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stageBands } from '../../src-renderer/src/lib/training/chart-data';

const point = (epoch: number, iteration: number) => ({ epoch, iteration, loss: 1, pck: null });
const plan = { epochs: 2, stages: 3, refineEpochs: 1 };

test('bands against iterations start at each stage’s first point', () => {
  const train = [point(1, 1), point(1, 4), point(2, 8), point(3, 10), point(3, 12), point(4, 15)];
  assert.deepEqual(stageBands(train, plan, 'iteration'), [
    { from: 0, to: 10, label: 'stage 1' },
    { from: 10, to: 15, label: 'stage 2' },
    { from: 15, to: 15, label: 'stage 3' },
  ]);
});

test('bands against epochs cover each stage’s epochs, only stages reached', () => {
  assert.deepEqual(stageBands([point(1, 4), point(2, 8), point(3, 12)], plan, 'epoch'), [
    { from: 0, to: 2, label: 'stage 1' },
    { from: 2, to: 3, label: 'stage 2' },
  ]);
});

test('a one-stage run has no bands', () => {
  assert.deepEqual(stageBands([point(1, 4)], { epochs: 4, stages: 1 }, 'iteration'), []);
  assert.deepEqual(stageBands([point(1, 4)], null, 'epoch'), []);
});
