import assert from 'node:assert/strict';
import { test } from 'node:test';
import { limbsFor, reviewPrediction, type InstanceLabels } from '../../src-main/core/predictions/prediction-review';
import { COCO17, LSP14 } from '../../src-shared/domain/skeleton';
import { LSP_LIMBS } from '../../src-main/core/metrics/pcp';

const prediction: [number, number][] = [
  [10, 10],
  [20, 10],
  [30, 10],
];

test('a prediction is compared with the labeled person of its image it is closest to', () => {
  const far: InstanceLabels = {
    instanceId: 1,
    truth: [
      [110, 10, 2],
      [120, 10, 2],
      [130, 10, 2],
    ],
    modelJoints: null,
    box: null,
  };
  // Joint 2 is not labeled: it does not count.
  const near: InstanceLabels = {
    instanceId: 2,
    truth: [
      [13, 14, 2],
      [20, 10, 1],
      [0, 0, 0],
    ],
    modelJoints: null,
    box: null,
  };
  const review = reviewPrediction(prediction, [far, near]);
  assert.deepEqual(review.truth, near.truth);
  assert.deepEqual(review.perJointErrorPx, [5, 0, null]);
  assert.equal(review.errorPx, 2.5);
  assert.equal(review.accepted, false);
});

test('an accepted prediction is recognised until a person edits it, and is never its own truth', () => {
  // What acceptance writes: every joint with source 'model' (so v 0 as truth) at the predicted place.
  const accepted: InstanceLabels = {
    instanceId: 7,
    truth: prediction.map(([x, y]) => [x, y, 0]),
    modelJoints: prediction,
    box: null,
  };
  const review = reviewPrediction(prediction, [accepted]);
  assert.deepEqual([review.accepted, review.acceptedInstanceId, review.truth, review.errorPx], [true, 7, null, null]);
  // Another model's prediction elsewhere is not this one.
  assert.equal(
    reviewPrediction(
      [
        [11, 10],
        [20, 10],
        [30, 10],
      ],
      [accepted],
    ).accepted,
    false,
  );
});

test('PCP limbs: the paper ten for LSP, the bones of any other skeleton', () => {
  assert.equal(limbsFor(LSP14), LSP_LIMBS);
  const coco = limbsFor(COCO17);
  assert.equal(coco.length, COCO17.edges.length);
  assert.deepEqual(coco[0], { name: 'left_ankle – left_knee', ends: [[15], [13]] });
});
