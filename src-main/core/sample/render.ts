// Scenes to pixels: SVG rasterised by sharp (librsvg), uneven light and grain added from the
// scene's own seed, JPEG encoded. Same scene, same bytes.
import sharp from 'sharp';
import type { FigurePose } from './body-pose';
import type { Appearance } from './figure';
import { createRng } from './prng';
import { composeScene, type LabelledJoint, type Scene } from './scene';

export const SAMPLE_JPEG_QUALITY = 90;

export function sceneSvg(scene: Scene, { figure = true }: { figure?: boolean } = {}): string {
  const body = figure ? scene.figure : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}"><defs>${scene.defs}</defs>${scene.background}${scene.distractor}${body}${scene.occluders}</svg>`;
}

/**
 * Uneven light (a coarse grid of random offsets, bilinearly interpolated) and grain
 * (triangular noise from the bytes of an inline xorshift32), from the scene's own seed.
 * This loop runs on the main thread for every picture, so it is written for speed.
 */
function addNoise(pixels: Buffer, scene: Scene): void {
  const { width, height } = scene;
  const rng = createRng(scene.noiseSeed);
  const out = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.length);
  const rowLength = width * 3;

  // Light: one horizontally interpolated line per grid row, then each picture row blends two lines.
  const cols = rng.int(3, 9);
  const rows = Math.max(2, Math.round((cols * height) / width));
  const lines: Float32Array[] = [];
  for (let r = 0; r <= rows; r++) {
    const nodes = Array.from({ length: cols + 1 }, () => {
      const light = rng.uniform(-1, 1) * scene.shading;
      return [0, 1, 2].map(() => light + (rng.uniform(-1, 1) * scene.shading) / 3);
    });
    const line = new Float32Array(rowLength);
    for (let x = 0; x < width; x++) {
      const gx = (x / width) * cols;
      const c0 = Math.floor(gx);
      const fx = gx - c0;
      for (let c = 0; c < 3; c++) line[x * 3 + c] = nodes[c0][c] * (1 - fx) + nodes[c0 + 1][c] * fx;
    }
    lines.push(line);
  }

  let state = rng.int(1, 0x7fffffff);
  const grain = (scene.noise * Math.SQRT2) / 255;
  for (let y = 0; y < height; y++) {
    const gy = (y / height) * rows;
    const r0 = Math.floor(gy);
    const fy = gy - r0;
    const top = lines[r0];
    const bottom = lines[r0 + 1];
    const base = y * rowLength;
    for (let i = 0; i < rowLength; i += 2) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const a = ((state & 255) + ((state >>> 8) & 255) - 255) * grain;
      const b = (((state >>> 16) & 255) + (state >>> 24) - 255) * grain;
      out[base + i] = pixels[base + i] + top[i] + (bottom[i] - top[i]) * fy + a;
      if (i + 1 < rowLength)
        out[base + i + 1] = pixels[base + i + 1] + top[i + 1] + (bottom[i + 1] - top[i + 1]) * fy + b;
    }
  }
}

/** RGB bytes, row-major, 3 per pixel. */
export async function rasterizeScene(scene: Scene, options: { figure?: boolean } = {}): Promise<Buffer> {
  let image = sharp(Buffer.from(sceneSvg(scene, options))).removeAlpha();
  if (scene.blur > 0) image = image.blur(scene.blur);
  const pixels = await image.raw().toBuffer();
  if (scene.noise > 0 || scene.shading > 0) addNoise(pixels, scene);
  return pixels;
}

export async function encodeSceneJpeg(scene: Scene): Promise<Buffer> {
  const pixels = await rasterizeScene(scene);
  return sharp(pixels, { raw: { width: scene.width, height: scene.height, channels: 3 } })
    .jpeg({ quality: SAMPLE_JPEG_QUALITY })
    .toBuffer();
}

export interface RenderFigureOptions {
  width: number;
  height: number;
  /** Chooses background, clothing, occluders and noise. */
  seed: number;
  /** false renders the same picture without the figure (default true). */
  figure?: boolean;
  occluders?: number;
  distractor?: boolean;
  appearance?: Appearance;
}

/** Renders a known pose on a seeded background: RGB pixels plus the joints as labelled. */
export async function renderFigure(
  pose: FigurePose,
  options: RenderFigureOptions,
): Promise<{ pixels: Buffer; width: number; height: number; joints: LabelledJoint[] }> {
  const scene = composeScene(createRng(options.seed), options.width, options.height, pose, {
    occluders: options.occluders ?? 0,
    distractor: options.distractor ?? false,
    appearance: options.appearance,
  });
  const pixels = await rasterizeScene(scene, { figure: options.figure ?? true });
  return { pixels, width: scene.width, height: scene.height, joints: scene.joints };
}
