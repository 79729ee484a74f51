// Tiny synthetic pose data for training tests: a stick figure of coloured dots, placed,
// scaled and tilted at random, drawn by sharp (SVG) into PNGs in a temp folder.
import sharp from 'sharp';
import { join } from 'node:path';
import type { Example } from '../../src-shared/training/protocol';
import { LSP14 } from '../../src-shared/domain/skeleton';

// A 14-joint figure in LSP order, in a unit box (x right, y down).
const TEMPLATE: [number, number][] = [
  [0.38, 1.0],
  [0.4, 0.78],
  [0.42, 0.55],
  [0.58, 0.55],
  [0.6, 0.78],
  [0.62, 1.0],
  [0.15, 0.52],
  [0.25, 0.38],
  [0.36, 0.22],
  [0.64, 0.22],
  [0.75, 0.38],
  [0.85, 0.52],
  [0.5, 0.16],
  [0.5, 0.0],
];
export const LSP_FLIP_PAIRS = LSP14.flipPairs;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

export async function makeSyntheticPoses(dir: string, count: number, seed = 1, prefix = 'pose'): Promise<Example[]> {
  const random = rng(seed);
  const examples: Example[] = [];
  for (let n = 0; n < count; n++) {
    const width = 140 + Math.floor(random() * 60);
    const height = 140 + Math.floor(random() * 60);
    const size = 60 + random() * 50;
    const left = 10 + random() * (width - size - 20);
    const top = 10 + random() * (height - size - 20);
    const tilt = (random() - 0.5) * 0.6;
    const joints: [number, number, number][] = TEMPLATE.map(([u, v], j) => {
      const x = (u - 0.5) * Math.cos(tilt) - (v - 0.5) * Math.sin(tilt);
      const y = (u - 0.5) * Math.sin(tilt) + (v - 0.5) * Math.cos(tilt);
      const visibility = j === 13 && n % 5 === 0 ? 0 : j === 6 && n % 4 === 0 ? 1 : 2;
      return [left + (x + 0.5) * size, top + (y + 0.5) * size, visibility];
    });
    const dots = joints
      .map(
        ([x, y], j) =>
          `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="hsl(${(j * 360) / 14},90%,55%)"/>`,
      )
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(${40 + (n % 30)},${50 + ((n * 7) % 30)},60)"/>${dots}</svg>`;
    const imagePath = join(dir, `${prefix}-${n}.png`);
    await sharp(Buffer.from(svg)).png().toFile(imagePath);
    examples.push({ imagePath, joints });
  }
  return examples;
}
