import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addInstance,
  clearJoint,
  cycleVisibility,
  emptyInstance,
  labelsFromInstances,
  moveJoint,
  nextUnlabeled,
  nudgeJoint,
  placeJoint,
  removeInstance,
  stepJoint,
  type ImageLabels,
} from '../../src-renderer/src/lib/annotation/labels';
import { parseSkeleton } from '../../src-renderer/src/lib/annotation/parse-skeleton';

const one = (): ImageLabels => addInstance({ instances: [] }, emptyInstance('a', 4));

test('server instances become one keypoint per joint, missing joints unlabeled', () => {
  const labels = labelsFromInstances(
    [
      {
        id: 7,
        imageId: 1,
        box: null,
        keypoints: [{ joint: 2, x: 10.5, y: 20.25, visibility: 1, source: 'human', runId: null }],
      },
    ],
    3,
  );
  assert.deepEqual(labels.instances[0], {
    key: 'i7',
    box: null,
    keypoints: [
      { joint: 0, x: 0, y: 0, visibility: 0 },
      { joint: 1, x: 0, y: 0, visibility: 0 },
      { joint: 2, x: 10.5, y: 20.25, visibility: 1 },
    ],
  });
});

test('the next joint to place is the first unlabeled from the selected one, wrapping', () => {
  let labels = one();
  assert.equal(nextUnlabeled(labels.instances[0].keypoints, 0), 0);
  labels = placeJoint(labels, 'a', 0, 5, 6);
  labels = placeJoint(labels, 'a', 2, 7, 8);
  assert.equal(nextUnlabeled(labels.instances[0].keypoints, 0), 1);
  assert.equal(nextUnlabeled(labels.instances[0].keypoints, 2), 3);
  labels = placeJoint(labels, 'a', 3, 1, 1);
  assert.equal(nextUnlabeled(labels.instances[0].keypoints, 2), 1);
  labels = placeJoint(labels, 'a', 1, 1, 1);
  assert.equal(nextUnlabeled(labels.instances[0].keypoints, 0), null);
});

test('visibility cycles visible -> occluded -> not labeled -> visible, keeping coordinates; an unplaced joint does not cycle', () => {
  let labels = placeJoint(one(), 'a', 1, 12.5, 30);
  const states: number[] = [];
  for (let i = 0; i < 3; i++) {
    labels = cycleVisibility(labels, 'a', 1)!;
    states.push(labels.instances[0].keypoints[1].visibility);
  }
  assert.deepEqual(states, [1, 0, 2]);
  assert.deepEqual(labels.instances[0].keypoints[1], { joint: 1, x: 12.5, y: 30, visibility: 2 });
  assert.equal(cycleVisibility(labels, 'a', 0), null);
});

test('moving keeps visibility, placing an occluded joint keeps it occluded, clearing forgets it', () => {
  let labels = placeJoint(one(), 'a', 0, 1, 2);
  labels = cycleVisibility(labels, 'a', 0)!;
  labels = moveJoint(labels, 'a', 0, 3, 4);
  assert.deepEqual(labels.instances[0].keypoints[0], { joint: 0, x: 3, y: 4, visibility: 1 });
  labels = placeJoint(labels, 'a', 0, 5, 6);
  assert.equal(labels.instances[0].keypoints[0].visibility, 1);
  labels = clearJoint(labels, 'a', 0);
  assert.deepEqual(labels.instances[0].keypoints[0], { joint: 0, x: 0, y: 0, visibility: 0 });
});

test('Shift-click places occluded; a nudge moves a labeled joint, stays on the image and skips unlabeled joints', () => {
  const placed = placeJoint(one(), 'a', 1, 10.5, 20, true);
  assert.deepEqual(placed.instances[0].keypoints[1], { joint: 1, x: 10.5, y: 20, visibility: 1 });
  assert.deepEqual(nudgeJoint(placed, 'a', 1, 1, -10, 100, 100)!.instances[0].keypoints[1], {
    joint: 1,
    x: 11.5,
    y: 10,
    visibility: 1,
  });
  assert.deepEqual(nudgeJoint(placed, 'a', 1, -20, 100, 100, 50)!.instances[0].keypoints[1], {
    joint: 1,
    x: 0,
    y: 50,
    visibility: 1,
  });
  assert.equal(nudgeJoint(placed, 'a', 0, 1, 0, 100, 100), null, 'an unlabeled joint has nowhere to move from');
  assert.equal(
    nudgeJoint(nudgeJoint(placed, 'a', 1, -20, 0, 100, 100)!, 'a', 1, -1, 0, 100, 100),
    null,
    'at the edge: no change, no undo step',
  );
});

test('edits leave untouched instances identical (so autosave writes only what changed)', () => {
  const before = addInstance(one(), emptyInstance('b', 4));
  const after = placeJoint(before, 'b', 0, 1, 1);
  assert.equal(after.instances[0], before.instances[0]);
  assert.notEqual(after.instances[1], before.instances[1]);
  assert.deepEqual(
    removeInstance(after, 'a').instances.map((i) => i.key),
    ['b'],
  );
});

test('joint stepping wraps both ways', () => {
  assert.equal(stepJoint(13, 1, 14), 0);
  assert.equal(stepJoint(0, -1, 14), 13);
});

test('a custom skeleton is parsed from names or indices, and bad lines are named', () => {
  const skeleton = parseSkeleton('arm', 'shoulder\nelbow\nwrist\n', 'shoulder, elbow\n1, 2', '');
  assert.deepEqual(skeleton, {
    name: 'arm',
    joints: ['shoulder', 'elbow', 'wrist'],
    edges: [
      [0, 1],
      [1, 2],
    ],
    flipPairs: [],
  });
  assert.throws(() => parseSkeleton('x', 'a\nb', 'a, c', ''), /Edges line 1: "c" is not one of the joints/);
  assert.throws(() => parseSkeleton('x', 'a\na', '', ''), /"a" appears twice/);
  assert.throws(() => parseSkeleton('x', '', '', ''), /at least one joint/);
});

test('placed, dragged and nudged joints hold what the catalog stores (0.01 px), so a reload changes nothing', () => {
  const placed = placeJoint(one(), 'a', 0, 130.39998801761226, 188.24999547187488);
  assert.deepEqual([placed.instances[0].keypoints[0].x, placed.instances[0].keypoints[0].y], [130.4, 188.25]);
  const dragged = moveJoint(placed, 'a', 0, 186.59999629756712, 20.004);
  assert.deepEqual([dragged.instances[0].keypoints[0].x, dragged.instances[0].keypoints[0].y], [186.6, 20]);
  const nudged = nudgeJoint(dragged, 'a', 0, 0.1, 0.2, 500, 500)!;
  assert.deepEqual([nudged.instances[0].keypoints[0].x, nudged.instances[0].keypoints[0].y], [186.7, 20.2]);
});
