import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History } from '../../src-renderer/src/lib/annotation/history';

test('undo and redo walk back and forth through pushed states; a new edit drops the redo branch', () => {
  const history = new History('a');
  history.push('b');
  history.push('c');
  assert.equal(history.undo(), 'b');
  assert.equal(history.undo(), 'a');
  assert.equal(history.canUndo, false);
  assert.equal(history.undo(), 'a');
  assert.equal(history.redo(), 'b');
  history.push('x');
  assert.equal(history.canRedo, false);
  assert.equal(history.redo(), 'x');
  assert.equal(history.undo(), 'b');
});

test('a drag previews many states and records one step from where it started', () => {
  const history = new History(0);
  history.preview(1);
  history.preview(2);
  history.preview(3);
  history.commit();
  assert.equal(history.present, 3);
  assert.equal(history.undo(), 0);
  assert.equal(history.redo(), 3);
  assert.equal(history.canRedo, false);
});

test('undo during an uncommitted preview first records it, then undoes it', () => {
  const history = new History('start');
  history.preview('dragging');
  assert.equal(history.undo(), 'start');
  assert.equal(history.redo(), 'dragging');
});

test('the oldest steps are forgotten beyond the limit', () => {
  const history = new History(0, 3);
  for (let i = 1; i <= 5; i++) history.push(i);
  assert.equal(history.undo(), 4);
  assert.equal(history.undo(), 3);
  assert.equal(history.undo(), 2);
  assert.equal(history.canUndo, false);
});
