// The crop's warp (load-crop.ts) reads the four neighbours directly where all lie inside the
// picture and through a bounds check elsewhere. Both paths must give README's rule exactly:
// here the rule is written out plainly, one sample at a time, and compared byte for byte on
// squares inside, across and beyond the picture's edges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { warpToBase, type DecodedImage } from '../../src-main/core/pose/load-crop';
import type { Square } from '../../src-main/core/pose/crop-geometry';

/** README's rule: x = x0 + (u + 0.5) · side / base − 0.5, bilinear, black outside, halves up. */
function byTheRule(image: DecodedImage, square: Square, base: number): Uint8Array {
  const out = new Uint8Array(base * base * 3);
  const pixel = (x: number, y: number, c: number) =>
    x >= 0 && x < image.width && y >= 0 && y < image.height ? image.rgb[(y * image.width + x) * 3 + c] : 0;
  const step = square.side / base; // as the studio and the exported runner compute it
  for (let v = 0; v < base; v++) {
    for (let u = 0; u < base; u++) {
      const x = square.x0 + (u + 0.5) * step - 0.5;
      const y = square.y0 + (v + 0.5) * step - 0.5;
      const [ix, iy] = [Math.floor(x), Math.floor(y)];
      const [fx, fy] = [x - ix, y - iy];
      for (let c = 0; c < 3; c++) {
        const value =
          (1 - fy) * ((1 - fx) * pixel(ix, iy, c) + fx * pixel(ix + 1, iy, c)) +
          fy * ((1 - fx) * pixel(ix, iy + 1, c) + fx * pixel(ix + 1, iy + 1, c));
        out[(v * base + u) * 3 + c] = Math.floor(value + 0.5);
      }
    }
  }
  return out;
}

test('the warp is the rule byte for byte, inside the picture and across its edges', () => {
  let s = 7;
  const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  let crossing = 0;
  for (const [width, height] of [
    [251, 318],
    [40, 23],
  ]) {
    const image = {
      rgb: Buffer.from(Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256))),
      width,
      height,
    };
    for (let k = 0; k < 40; k++) {
      const side = 4 + random() * 1.5 * Math.max(width, height);
      const square = { x0: random() * width - side / 2, y0: random() * height - side / 2, side } as Square;
      if (square.x0 < 0 || square.y0 < 0 || square.x0 + side > width || square.y0 + side > height) crossing++;
      const base = [24, 96][k % 2];
      assert.deepEqual(
        warpToBase(image, square, base),
        byTheRule(image, square, base),
        `square ${JSON.stringify(square)}`,
      );
    }
  }
  // A square across an edge takes both paths: its inner pixels directly, its outer ones checked.
  assert.ok(crossing >= 10, `${crossing} of 80 squares cross an edge`);
});
