import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { poseLoss } from '../../src-main/core/engines/tfjs/pose-loss';
import { jointWeight } from '../../src-main/core/pose/joint-weight';

// Two examples, three joints, (x, y) interleaved.
const predicted = [
  [0.1, 0.2, 0.5, 0.5, 0.9, 0.1],
  [0.3, 0.3, 0.0, 1.0, 0.4, 0.6],
];
const target = [
  [0.2, 0.2, 0.5, 0.7, 0.6, 0.5],
  [0.3, 0.1, 0.5, 1.0, 0.4, 0.6],
];
// Squared distance per joint, by hand:
// example 0: 0.01, 0.04, 0.09 + 0.16 = 0.25;  example 1: 0.04, 0.25, 0
const visibilities = [
  [2, 1, 0],
  [2, 2, 1],
];

function loss(mask: number[][]): number {
  return poseLoss(tf.tensor2d(predicted), tf.tensor2d(target), tf.tensor2d(mask)).dataSync()[0];
}

test('without visibility the loss is the sum of squared differences over the number of joints (as the reference)', async () => {
  await tf.setBackend('cpu');
  const weights = visibilities.map((row) =>
    row.map((v) => jointWeight(v, { useVisibility: false, countOccluded: true })),
  );
  assert.deepEqual(weights, [
    [1, 1, 1],
    [1, 1, 1],
  ]);
  // (0.01 + 0.04 + 0.25 + 0.04 + 0.25 + 0) / 6 joints
  assert.ok(Math.abs(loss(weights) - 0.59 / 6) < 1e-6);
});

test('with visibility unlabeled joints are masked and the sum is divided by the joints counted', () => {
  const weights = visibilities.map((row) =>
    row.map((v) => jointWeight(v, { useVisibility: true, countOccluded: true })),
  );
  assert.deepEqual(weights, [
    [1, 1, 0],
    [1, 1, 1],
  ]);
  // (0.01 + 0.04 + 0.04 + 0.25 + 0) / 5
  assert.ok(Math.abs(loss(weights) - 0.34 / 5) < 1e-6);
});

test('occluded joints can be left out too', () => {
  const weights = visibilities.map((row) =>
    row.map((v) => jointWeight(v, { useVisibility: true, countOccluded: false })),
  );
  assert.deepEqual(weights, [
    [1, 0, 0],
    [1, 1, 0],
  ]);
  // (0.01 + 0.04 + 0.25) / 3
  assert.ok(Math.abs(loss(weights) - 0.3 / 3) < 1e-6);
});

test('a batch with nothing labeled has zero loss rather than NaN', () => {
  assert.equal(
    loss([
      [0, 0, 0],
      [0, 0, 0],
    ]),
    0,
  );
});

test('the loss matches the pytorch reference formula diff.dot(diff) / (numel / 2)', () => {
  const diff = predicted.flat().map((p, i) => p - target.flat()[i]);
  const reference = diff.reduce((s, d) => s + d * d, 0) / (diff.length / 2);
  assert.ok(
    Math.abs(
      loss([
        [1, 1, 1],
        [1, 1, 1],
      ]) - reference,
    ) < 1e-6,
  );
});
