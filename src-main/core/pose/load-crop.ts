// Decodes an image with sharp and returns the square around an example scaled to `base`
// pixels by one affine warp; parts of the square outside the image are black (the reference's padding).
import sharp from 'sharp';
import { StudioError } from '../../../src-shared/api/define';
import type { Square } from './crop-geometry';

export interface DecodedImage {
  rgb: Buffer;
  width: number;
  height: number;
}

export async function decodeImage(path: string): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(path)
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { rgb: data, width: info.width, height: info.height };
  } catch (error) {
    throw new StudioError('bad-input', `cannot read image ${path}: ${(error as Error).message}`);
  }
}

/**
 * The crop, one affine warp anyone can reproduce (README "Running an exported model"): base
 * pixel (u, v) samples the picture at x = x0 + (u + 0.5) · side / base − 0.5 (and the same for
 * y), pixel centres on pixel centres, bilinearly between the four neighbours, black outside
 * the picture, each channel rounded to the nearest level, halves up. OpenCV's warpAffine with
 * INTER_LINEAR and a constant black border samples the same points.
 */
export function warpToBase(image: DecodedImage, square: Square, base: number): Uint8Array {
  const out = new Uint8Array(base * base * 3);
  const s = square.side / base;
  const { rgb, width, height } = image;
  const ix = new Int32Array(base);
  const fxs = new Float64Array(base);
  for (let u = 0; u < base; u++) {
    const x = square.x0 + (u + 0.5) * s - 0.5;
    ix[u] = Math.floor(x);
    fxs[u] = x - ix[u];
  }
  const at = (x: number, y: number, c: number) =>
    x >= 0 && x < width && y >= 0 && y < height ? rgb[(y * width + x) * 3 + c] : 0;
  const stride = width * 3;
  for (let v = 0; v < base; v++) {
    const ys = square.y0 + (v + 0.5) * s - 0.5;
    const iy = Math.floor(ys);
    const fy = ys - iy;
    const gy = 1 - fy;
    const rowsInside = iy >= 0 && iy + 1 < height;
    for (let u = 0; u < base; u++) {
      const x = ix[u];
      const fx = fxs[u];
      const gx = 1 - fx;
      const d = (v * base + u) * 3;
      if (rowsInside && x >= 0 && x + 1 < width) {
        // All four neighbours inside (most pixels): read them directly; the same sums in the same order.
        const p = iy * stride + x * 3;
        const q = p + stride;
        for (let c = 0; c < 3; c++) {
          const value = gy * (gx * rgb[p + c] + fx * rgb[p + 3 + c]) + fy * (gx * rgb[q + c] + fx * rgb[q + 3 + c]);
          out[d + c] = Math.floor(value + 0.5);
        }
        continue;
      }
      for (let c = 0; c < 3; c++) {
        const value =
          gy * (gx * at(x, iy, c) + fx * at(x + 1, iy, c)) + fy * (gx * at(x, iy + 1, c) + fx * at(x + 1, iy + 1, c));
        out[d + c] = Math.floor(value + 0.5);
      }
    }
  }
  return out;
}

/** The square scaled to `base` pixels (warpToBase); async as the callers await it. */
export async function cropToBase(image: DecodedImage, square: Square, base: number): Promise<Uint8Array> {
  return warpToBase(image, square, base);
}
