import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptAllSuggestions,
  acceptSuggestedJoint,
  showSuggestions,
} from '../../src-renderer/src/lib/annotation/suggestion-edits';
import { History } from '../../src-renderer/src/lib/annotation/history';
import { moveJoint, type ImageLabels, type SuggestionView } from '../../src-renderer/src/lib/annotation/labels';

const J = 14;
const suggestion = (key: string, x: number): SuggestionView => ({
  id: 1,
  instanceKey: key,
  box: [x, 0, 50, 100],
  score: 0.8,
  joints: Array.from({ length: J }, (_, j) => (j === 13 ? null : { x: x + j, y: 5 * j, score: 0.7 })),
});

test('accept all turns every suggested joint into a visible label of its own person, in one undo step', () => {
  const history = new History<ImageLabels>({ instances: [] });
  history.push(showSuggestions(history.present, [suggestion('a', 10), suggestion('b', 100)]));
  history.push(acceptAllSuggestions(history.present, J)!);
  const labels = history.present;
  assert.equal(labels.instances.length, 2);
  assert.deepEqual(labels.suggestions, []);
  assert.deepEqual(labels.instances[1].box, [100, 0, 50, 100]);
  assert.deepEqual(labels.instances[1].keypoints[2], { joint: 2, x: 102, y: 10, visibility: 2 });
  assert.equal(labels.instances[0].keypoints[13].visibility, 0, 'an unplaced suggestion stays unlabeled');
  history.undo();
  assert.equal(history.present.instances.length, 0);
  assert.equal(history.present.suggestions?.length, 2, 'undo brings the suggestions back');
});

test('a dragged suggested joint is accepted where it is dropped; the rest stay suggestions', () => {
  let labels = showSuggestions({ instances: [] }, [suggestion('a', 10)]);
  labels = acceptSuggestedJoint(labels, 'a', 3, 40, 41, J)!;
  assert.equal(labels.instances.length, 1);
  assert.deepEqual(labels.instances[0].keypoints[3], { joint: 3, x: 40, y: 41, visibility: 2 });
  assert.equal(labels.instances[0].keypoints[4].visibility, 0);
  assert.equal(labels.suggestions![0].joints[3], null);
  assert.ok(labels.suggestions![0].joints[4]);
  assert.equal(acceptSuggestedJoint(labels, 'a', 3, 0, 0, J), null, 'an accepted joint is no longer a suggestion');
  // Accept all after a correction keeps the corrected joint.
  labels = acceptAllSuggestions(labels, J)!;
  assert.deepEqual(labels.instances[0].keypoints[3], { joint: 3, x: 40, y: 41, visibility: 2 });
  assert.equal(labels.instances[0].keypoints[4].x, 14);
  // Label edits keep suggestions alongside.
  const again = moveJoint(showSuggestions(labels, [suggestion('b', 0)]), labels.instances[0].key, 3, 1, 1);
  assert.equal(again.suggestions?.length, 1);
});
