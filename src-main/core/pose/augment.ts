// Pixel work after decoding: input-size crop, optional mirror, AlexNet PCA lighting noise.
import type { Rng } from '../training/rng';

/** ImageNet RGB eigenvalues / eigenvectors (pixels in [0, 1]), as AlexNet's lighting noise uses. */
const EIGVAL = [0.2175, 0.0188, 0.0045];
const EIGVEC = [
  [-0.5675, 0.7192, 0.4009],
  [-0.5808, -0.0045, -0.814],
  [-0.5836, -0.6948, 0.4203],
];
const LIGHTING_STD = 0.1;

export interface Augmentation {
  offset: [number, number];
  flipped: boolean;
  /** Added to R, G, B. */
  lighting: [number, number, number];
}

/** Draws, in a fixed order, what one example's augmentation will be. */
export function drawAugmentation(rng: Rng, base: number, input: number, flip: boolean): Augmentation {
  const offset: [number, number] = [rng.int(base - input + 1), rng.int(base - input + 1)];
  const flipped = flip && rng.next() < 0.5;
  const alpha = EIGVAL.map((value) => rng.normal() * LIGHTING_STD * value);
  const lighting = EIGVEC.map((row) => row[0] * alpha[0] + row[1] * alpha[1] + row[2] * alpha[2]) as [number, number, number];
  return { offset, flipped, lighting };
}

export function centreAugmentation(base: number, input: number): Augmentation {
  const o = Math.floor((base - input) / 2);
  return { offset: [o, o], flipped: false, lighting: [0, 0, 0] };
}

/** Cuts the input square out of an RGB base image and applies the augmentation; values in [0, 1]. */
export function cutInput(rgb: Uint8Array, base: number, input: number, aug: Augmentation, out: Float32Array, outOffset = 0): void {
  const [ox, oy] = aug.offset;
  const [lr, lg, lb] = aug.lighting;
  for (let y = 0; y < input; y++) {
    for (let x = 0; x < input; x++) {
      const sx = aug.flipped ? ox + input - 1 - x : ox + x;
      const s = ((oy + y) * base + sx) * 3;
      const d = outOffset + (y * input + x) * 3;
      out[d] = clamp01(rgb[s] / 255 + lr);
      out[d + 1] = clamp01(rgb[s + 1] / 255 + lg);
      out[d + 2] = clamp01(rgb[s + 2] / 255 + lb);
    }
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Joints after a mirror: left and right swap places (visibility goes with them). */
export function swapPairs<T>(joints: T[], pairs: [number, number][]): T[] {
  const out = joints.slice();
  for (const [a, b] of pairs) [out[a], out[b]] = [joints[b], joints[a]];
  return out;
}
