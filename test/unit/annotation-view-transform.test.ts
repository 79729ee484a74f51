import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fitView,
  imageToScreen,
  pan,
  screenToImage,
  zoomBy,
  zoomTo,
  MAX_SCALE,
} from '../../src-renderer/src/lib/annotation/view-transform';

test('zooming keeps the image point under the cursor where it was', () => {
  const view = { scale: 0.8, tx: 31, ty: -12 };
  const cursor = { x: 417, y: 233 };
  const under = screenToImage(view, cursor.x, cursor.y);
  for (const next of [
    zoomBy(view, 1.7, cursor.x, cursor.y),
    zoomBy(view, 0.3, cursor.x, cursor.y),
    zoomTo(view, 2, cursor.x, cursor.y),
  ]) {
    const back = imageToScreen(next, under.x, under.y);
    assert.ok(Math.abs(back.x - cursor.x) < 1e-9 && Math.abs(back.y - cursor.y) < 1e-9);
  }
  assert.equal(zoomTo(view, 2, 0, 0).scale, 2);
  assert.equal(zoomBy(view, 1e6, 0, 0).scale, MAX_SCALE);
});

test('screen and image coordinates are inverse mappings; panning shifts by screen pixels', () => {
  const view = pan({ scale: 2.5, tx: 10, ty: 20 }, 5, -7);
  const p = imageToScreen(view, 100.25, 40.5);
  assert.deepEqual(screenToImage(view, p.x, p.y), { x: 100.25, y: 40.5 });
  assert.deepEqual(view, { scale: 2.5, tx: 15, ty: 13 });
});

test('fit centres the whole image inside the margin', () => {
  const view = fitView(400, 200, 1000, 600, 10);
  assert.equal(view.scale, 2.45);
  const topLeft = imageToScreen(view, 0, 0);
  const bottomRight = imageToScreen(view, 400, 200);
  assert.ok(Math.abs(topLeft.x - 10) < 1e-9);
  assert.ok(Math.abs(1000 - bottomRight.x - 10) < 1e-9);
  assert.ok(Math.abs(topLeft.y - (600 - bottomRight.y)) < 1e-9);
});
