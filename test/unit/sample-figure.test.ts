import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFigure } from '../../src-main/core/sample/render';
import type { FigurePose } from '../../src-main/core/sample/body-pose';
import { LSP14 } from '../../src-shared/domain/skeleton';

// A frontal figure, arms out and legs apart so no limb crosses another (LSP order).
const POSE: FigurePose = {
  joints: [
    [100, 232],
    [104, 192],
    [110, 150],
    [132, 150],
    [138, 192],
    [142, 232],
    [52, 70],
    [72, 100],
    [100, 98],
    [142, 98],
    [170, 100],
    [190, 70],
    [121, 92],
    [121, 60],
  ],
  depth: new Array(14).fill(0),
  height: 170,
  yaw: 0,
};
const SIZE = { width: 240, height: 260 };

function pixel(pixels: Buffer, width: number, [x, y]: [number, number, number]): number[] {
  const i = (Math.round(y) * width + Math.round(x)) * 3;
  return [pixels[i], pixels[i + 1], pixels[i + 2]];
}
const difference = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0);

test('limb pixels lie under every labelled joint: the figure changes the pixel at each visible joint', async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const withFigure = await renderFigure(POSE, { ...SIZE, seed });
    const without = await renderFigure(POSE, { ...SIZE, seed, figure: false });
    assert.equal(withFigure.pixels.length, 240 * 260 * 3);
    // Same picture apart from the figure: a corner far from it is identical.
    assert.deepEqual(pixel(withFigure.pixels, 240, [2, 2, 2]), pixel(without.pixels, 240, [2, 2, 2]));
    assert.deepEqual(
      withFigure.joints.map(([x, y]) => [x, y]),
      POSE.joints,
    );
    withFigure.joints.forEach((joint, j) => {
      assert.equal(joint[2], 2, `seed ${seed}: ${LSP14.joints[j]} is in view`);
      const d = difference(pixel(withFigure.pixels, 240, joint), pixel(without.pixels, 240, joint));
      assert.ok(
        d > 20,
        `seed ${seed}: ${LSP14.joints[j]} at ${joint[0]},${joint[1]} differs from the background by only ${d}`,
      );
    });
  }
});

test('joints under an occluder are labelled occluded at their true place, and the occluder is what shows there', async () => {
  let hiddenSeen = 0;
  for (let seed = 1; seed <= 40 && hiddenSeen < 3; seed++) {
    const withFigure = await renderFigure(POSE, { ...SIZE, seed, occluders: 2 });
    const without = await renderFigure(POSE, { ...SIZE, seed, occluders: 2, figure: false });
    withFigure.joints.forEach((joint, j) => {
      assert.deepEqual(joint.slice(0, 2), POSE.joints[j]);
      const d = difference(pixel(withFigure.pixels, 240, joint), pixel(without.pixels, 240, joint));
      if (joint[2] === 1) {
        hiddenSeen++;
        assert.equal(d, 0, `seed ${seed}: ${LSP14.joints[j]} is labelled occluded, so the figure must not show there`);
      } else {
        assert.ok(d > 20, `seed ${seed}: ${LSP14.joints[j]} is labelled visible but the figure does not show there`);
      }
    });
  }
  assert.ok(hiddenSeen >= 3, `only ${hiddenSeen} occluded joints in 40 pictures`);
});

test('joints outside the frame keep their coordinates and are not visible', async () => {
  const shifted: FigurePose = { ...POSE, joints: POSE.joints.map(([x, y]) => [x - 80, y]) };
  const { joints } = await renderFigure(shifted, { ...SIZE, seed: 9 });
  joints.forEach(([x, y, v], j) => {
    assert.deepEqual([x, y], shifted.joints[j]);
    assert.equal(v, x < 0 ? 1 : 2, LSP14.joints[j]);
  });
  assert.ok(joints.some(([x]) => x < 0));
});
