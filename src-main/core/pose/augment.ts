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
  /**
   * The reference article's draws, placed once the crop is known (referenceCut,
   * referenceColourNoise): a share of the allowed cut range per axis, and the noise's one draw.
   */
  reference?: { share: [number, number]; alpha: number };
}

/** The article's colour noise: one N(0, σ) draw for the whole picture. */
const REFERENCE_NOISE_STD = 0.01;

/** Draws, in a fixed order, what one example's augmentation will be. */
export function drawAugmentation(
  rng: Rng,
  base: number,
  input: number,
  flip: boolean,
  style: 'studio' | 'reference' = 'studio',
): Augmentation {
  if (style === 'reference') {
    const share: [number, number] = [rng.next(), rng.next()];
    const flipped = flip && rng.next() < 0.5;
    return {
      offset: [0, 0],
      flipped,
      lighting: [0, 0, 0],
      reference: { share, alpha: rng.normal() * REFERENCE_NOISE_STD },
    };
  }
  const offset: [number, number] = [rng.int(base - input + 1), rng.int(base - input + 1)];
  const flipped = flip && rng.next() < 0.5;
  const alpha = EIGVAL.map((value) => rng.normal() * LIGHTING_STD * value);
  const lighting = EIGVEC.map((row) => row[0] * alpha[0] + row[1] * alpha[1] + row[2] * alpha[2]) as [
    number,
    number,
    number,
  ];
  return { offset, flipped, lighting };
}

export function centreAugmentation(base: number, input: number): Augmentation {
  const o = Math.floor((base - input) / 2);
  return { offset: [o, o], flipped: false, lighting: [0, 0, 0] };
}

/** Cuts the input square out of an RGB base image and applies the augmentation; values in [0, 1]. */
export function cutInput(
  rgb: Uint8Array,
  base: number,
  input: number,
  aug: Augmentation,
  out: Float32Array,
  outOffset = 0,
): void {
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

/**
 * The article's random cut: per axis, an offset drawn uniformly from 0 to the smallest visible
 * joint's coordinate in the base square (so the top-left-most visible joints stay inside),
 * and never past base - input. `visibleMin` is that smallest coordinate, null without visible joints.
 */
export function referenceCut(
  share: [number, number],
  visibleMin: [number, number] | null,
  base: number,
  input: number,
): [number, number] {
  return [0, 1].map((axis) => {
    const limit = Math.max(0, Math.min(visibleMin ? Math.floor(visibleMin[axis]) : base - input, base - input));
    return Math.min(limit, Math.floor(share[axis] * (limit + 1)));
  }) as [number, number];
}

/**
 * The article's colour noise on an input already cut (values in [0, 1]): the picture's own RGB
 * covariance C = E diag(l) Eᵀ, and to channel c is added alpha · Σ_k E[k][c] · sqrt(l_k), as
 * its code writes it (eigenvectors as columns of E, then transposed), clamped to [0, 1].
 */
export function referenceColourNoise(pixels: Float32Array, start: number, count: number, alpha: number): void {
  const mean = [0, 0, 0];
  for (let i = 0; i < count; i++) for (let c = 0; c < 3; c++) mean[c] += pixels[start + 3 * i + c];
  for (let c = 0; c < 3; c++) mean[c] /= count;
  const cov = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++)
        cov[3 * a + b] += (pixels[start + 3 * i + a] - mean[a]) * (pixels[start + 3 * i + b] - mean[b]);
  }
  // numpy's cov divides by n - 1.
  for (let k = 0; k < 9; k++) cov[k] /= Math.max(1, count - 1);
  const { values, vectors } = symmetricEigen3(cov);
  const shift = [0, 1, 2].map(
    (c) => alpha * [0, 1, 2].reduce((sum, k) => sum + vectors[3 * k + c] * Math.sqrt(Math.max(0, values[k])), 0),
  );
  for (let i = 0; i < count; i++)
    for (let c = 0; c < 3; c++) pixels[start + 3 * i + c] = clamp01(pixels[start + 3 * i + c] + shift[c]);
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major 3×3) of a symmetric 3×3 matrix, by Jacobi rotations. */
export function symmetricEigen3(matrix: number[]): { values: number[]; vectors: number[] } {
  const a = matrix.slice();
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
    if (off < 1e-30) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      const apq = a[3 * p + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p];
        const akq = a[3 * k + q];
        a[3 * k + p] = c * akp - s * akq;
        a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k];
        const aqk = a[3 * q + k];
        a[3 * p + k] = c * apk - s * aqk;
        a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p];
        const vkq = v[3 * k + q];
        v[3 * k + p] = c * vkp - s * vkq;
        v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: [a[0], a[4], a[8]], vectors: v };
}
