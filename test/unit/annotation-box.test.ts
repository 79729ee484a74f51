import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boxFromCorners,
  dragBox,
  handlePoint,
  isUsableBox,
  sameBox,
} from '../../src-renderer/src/lib/annotation/box-geometry';
import {
  addInstance,
  emptyInstance,
  labelsFromInstances,
  moveJoint,
  placeJoint,
  setBox,
} from '../../src-renderer/src/lib/annotation/labels';
import { commandFor } from '../../src-renderer/src/lib/annotation/keymap';
import { History } from '../../src-renderer/src/lib/annotation/history';

const W = 200;
const H = 100;

test('a drawn box spans its two corners in either order and stays on the image', () => {
  assert.deepEqual(boxFromCorners({ x: 50, y: 40 }, { x: 10, y: 10 }, W, H), [10, 10, 40, 30]);
  assert.deepEqual(boxFromCorners({ x: -20, y: 90 }, { x: 250, y: 150 }, W, H), [0, 90, 200, 10]);
  assert.equal(isUsableBox(boxFromCorners({ x: 5, y: 5 }, { x: 5.5, y: 40 }, W, H)), false);
});

test('dragging a corner or edge resizes, past the other side flips, and moving keeps the size inside the image', () => {
  const box: [number, number, number, number] = [20, 20, 40, 30];
  assert.deepEqual(dragBox(box, 'se', 10, 5, W, H), [20, 20, 50, 35]);
  assert.deepEqual(dragBox(box, 'n', 7, -5, W, H), [20, 15, 40, 35], 'an edge ignores the other axis');
  assert.deepEqual(dragBox(box, 'w', 50, 0, W, H), [60, 20, 10, 30], 'dragged past the east edge, the box flips');
  assert.deepEqual(dragBox(box, 'move', 500, -500, W, H), [160, 0, 40, 30]);
  assert.deepEqual(handlePoint(box, 'ne'), { x: 60, y: 20 });
  assert.deepEqual(handlePoint(box, 's'), { x: 40, y: 50 });
  assert.ok(sameBox(box, [20, 20, 40, 30]) && !sameBox(box, null) && sameBox(null, null));
});

test('a box is a label: kept by joint edits, read from the catalog, undone by the history', () => {
  const start = addInstance({ instances: [] }, emptyInstance('a', 3));
  assert.equal(start.instances[0].box, null);
  const boxed = setBox(start, 'a', [1, 2, 3, 4]);
  const edited = moveJoint(placeJoint(boxed, 'a', 0, 5, 5), 'a', 0, 6, 6);
  assert.deepEqual(edited.instances[0].box, [1, 2, 3, 4]);
  const read = labelsFromInstances([{ id: 7, imageId: 1, box: [5, 6, 7, 8], keypoints: [] }], 3);
  assert.deepEqual(read.instances[0].box, [5, 6, 7, 8]);

  const history = new History(start);
  history.preview(setBox(start, 'a', [1, 1, 5, 5]));
  history.preview(setBox(start, 'a', [1, 1, 9, 9]));
  history.commit();
  assert.deepEqual(history.present.instances[0].box, [1, 1, 9, 9]);
  assert.equal(history.undo().instances[0].box, null, 'one drag is one undo step');
});

test('B toggles the Box tool and is bound to nothing else', () => {
  assert.equal(commandFor({ key: 'b', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false }), 'box-tool');
  assert.equal(commandFor({ key: 'B', ctrlKey: false, metaKey: false, shiftKey: true, altKey: false }), 'box-tool');
  assert.equal(commandFor({ key: 'b', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false }), null);
});
