import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bonesPath, dotPath, errorLinesPath, labeledPoints } from '../../src-renderer/src/lib/predictions/pose-drawing';

test('bones join the joints of each edge in image pixels, skipping joints that are missing', () => {
  const points = [[10, 20], [30.04, 40.06], null, [50, 60]] as const;
  assert.equal(
    bonesPath(points, [
      [0, 1],
      [1, 2],
      [1, 3],
    ]),
    'M10 20L30 40.1M30 40.1L50 60',
  );
  assert.equal(bonesPath(points, [[2, 3]]), '');
  assert.equal(
    bonesPath(
      [
        [0, 0],
        [Number.NaN, 1],
      ],
      [[0, 1]],
    ),
    '',
    'a joint with no number is not drawn',
  );
});

test('a joint is a zero-length segment that a round cap turns into a dot', () => {
  assert.equal(dotPath([12.345, 6]), 'M12.3 6h0');
});

test('only labeled joints (visibility 1 or 2) of a label are drawn; error lines join prediction and label', () => {
  const truth = labeledPoints([
    [1, 2, 2],
    [3, 4, 0],
    [5, 6, 1],
  ]);
  assert.deepEqual(truth, [[1, 2], null, [5, 6]]);
  assert.deepEqual(labeledPoints(null), []);
  assert.equal(
    errorLinesPath(
      [
        [0, 0],
        [9, 9],
        [7, 8],
      ],
      truth,
    ),
    'M0 0L1 2M7 8L5 6',
  );
});
