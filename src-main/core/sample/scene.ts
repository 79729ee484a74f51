// One sample picture as data: background, maybe a partial second figure behind, the labelled
// figure, maybe objects crossing its limbs; and the exact labels that follow from it.
import type { Visibility } from '../../../src-shared/domain/keypoint';
import { texturePattern, sampleBackground } from './background';
import { projectBody, sampleBody, sampleYaw, type FigurePose } from './body-pose';
import { contrastingColour, hex, randomColour, scale } from './colours';
import { figureParts, hiddenJoints, sampleAppearance, type Appearance, type Part } from './figure';
import { createRng, type Rng } from './prng';
import { orientedRectangle, shapeSvg, type Point, type Shape } from './shapes';

/** [x, y, visibility] with the catalog's visibility: 2 visible, 1 hidden by something or outside the frame. */
export type LabelledJoint = [number, number, Visibility];

export interface Scene {
  width: number;
  height: number;
  defs: string;
  background: string;
  distractor: string;
  figure: string;
  occluders: string;
  joints: LabelledJoint[];
  /** Per-pixel noise amplitude added after rasterising (0 = none). */
  noise: number;
  /** Amplitude of smooth, uneven light over the picture (0 = none). */
  shading: number;
  noiseSeed: number;
  /** Gaussian blur sigma applied to the whole picture (0 = none). */
  blur: number;
}

export interface SceneExtras {
  occluders: number;
  distractor: boolean;
  appearance?: Appearance;
}

/** Segments an occluder may cross, as joint pairs (limbs, LSP order). */
const LIMBS: [number, number][] = [
  [8, 7],
  [7, 6],
  [9, 10],
  [10, 11],
  [2, 1],
  [1, 0],
  [3, 4],
  [4, 5],
  [12, 13],
];

function partsSvg(parts: Part[]): string {
  return parts.map((part) => part.shapes.map(({ shape, paint }) => shapeSvg(shape, paint)).join('')).join('');
}

/** Joint box of a pose, grown by the limbs' thickness. */
function extent(pose: FigurePose): { min: Point; max: Point } {
  const pad = 0.07 * pose.height;
  const xs = pose.joints.map((p) => p[0]);
  const ys = pose.joints.map((p) => p[1]);
  return { min: [Math.min(...xs) - pad, Math.min(...ys) - pad], max: [Math.max(...xs) + pad, Math.max(...ys) + pad] };
}

function shifted(pose: FigurePose, dx: number, dy: number): FigurePose {
  return { ...pose, joints: pose.joints.map(([x, y]) => [x + dx, y + dy]) };
}

/** A body with a random turn, tilt and size, its joint box placed with its top-left at the origin. */
function randomPose(rng: Rng, height: number): FigurePose {
  const pose = projectBody(sampleBody(rng), {
    yaw: sampleYaw(rng),
    rotation: Math.max(-50, Math.min(50, rng.normal() * 15)),
    height,
    origin: [0, 0],
  });
  const { min } = extent(pose);
  return shifted(pose, -min[0], -min[1]);
}

function sampleOccluder(rng: Rng, pose: FigurePose, look: Appearance, index: number, defs: string[]): Part {
  const [a, b] = rng.pick(LIMBS);
  // Half of them sit on a joint, so hidden joints are common enough to learn.
  const t = rng.chance(0.5) ? (rng.chance(0.5) ? 0 : 1) + rng.uniform(-0.1, 0.1) : rng.uniform(0.2, 0.8);
  const p = pose.joints[a];
  const q = pose.joints[b];
  const c: Point = [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
  const across = Math.atan2(q[1] - p[1], q[0] - p[0]) + Math.PI / 2 + (rng.uniform(-30, 30) * Math.PI) / 180;
  const h = pose.height;
  const colour = contrastingColour(rng, [look.shirt, look.trousers, look.skin], 70);
  let fill = hex(colour);
  if (rng.chance(0.3)) {
    defs.push(texturePattern(rng, `octex${index}`, colour, randomColour(rng)));
    fill = `url(#octex${index})`;
  }
  let shape: Shape;
  const kind = rng.next();
  if (kind < 0.6) {
    const half = (rng.uniform(0.35, 0.8) * h) / 2;
    shape = orientedRectangle(c, across, half, (rng.uniform(0.07, 0.16) * h) / 2);
  } else if (kind < 0.85) {
    shape = {
      kind: 'ellipse',
      c,
      rx: rng.uniform(0.06, 0.13) * h,
      ry: rng.uniform(0.06, 0.13) * h,
      angle: rng.uniform(0, 180),
    };
  } else {
    const half = (rng.uniform(0.4, 0.9) * h) / 2;
    shape = {
      kind: 'capsule',
      a: [c[0] - Math.cos(across) * half, c[1] - Math.sin(across) * half],
      b: [c[0] + Math.cos(across) * half, c[1] + Math.sin(across) * half],
      r: rng.uniform(0.025, 0.05) * h,
    };
  }
  return { shapes: [{ shape, paint: { fill, outline: hex(scale(colour, 0.55)) } }], owns: [], depth: Infinity };
}

/** Everything around a given pose; all randomness comes from `rng`, in a fixed order. */
export function composeScene(rng: Rng, width: number, height: number, pose: FigurePose, extras: SceneExtras): Scene {
  const background = sampleBackground(rng, width, height);
  const look = extras.appearance ?? sampleAppearance(rng, background.colours);
  const defs = [background.defs];

  let distractor = '';
  if (extras.distractor) {
    // A second person cut by the frame edge: at most about half of it shows.
    const other = randomPose(rng, pose.height * rng.uniform(0.8, 1.2));
    const { max } = extent(other);
    const edge = rng.int(0, 3);
    const inside = rng.uniform(0.25, 0.5);
    const dx =
      edge === 0
        ? -max[0] * (1 - inside)
        : edge === 1
          ? width - max[0] * inside
          : rng.uniform(0, Math.max(0, width - max[0]));
    const dy =
      edge === 2
        ? -max[1] * (1 - inside)
        : edge === 3
          ? height - max[1] * inside
          : rng.uniform(0, Math.max(0, height - max[1]));
    distractor = partsSvg(figureParts(shifted(other, dx, dy), sampleAppearance(rng, background.colours)));
  }

  const bodyParts = figureParts(pose, look);
  const occluders = Array.from({ length: extras.occluders }, (_, i) => sampleOccluder(rng, pose, look, i, defs));
  const hidden = hiddenJoints(pose.joints, [...bodyParts, ...occluders]);
  const joints = pose.joints.map(([x, y], i): LabelledJoint => {
    const outside = x < 0 || y < 0 || x >= width || y >= height;
    return [x, y, hidden[i] || outside ? 1 : 2];
  });
  const noise = rng.chance(0.7) ? rng.uniform(2, 9) : 0;
  const shading = rng.chance(0.3) ? rng.uniform(8, 28) : 0;
  const blur = rng.chance(0.15) ? rng.uniform(0.5, 1) : 0;
  return {
    width,
    height,
    defs: defs.join(''),
    background: background.svg,
    distractor,
    figure: partsSvg(bodyParts),
    occluders: partsSvg(occluders),
    joints,
    noise,
    shading,
    noiseSeed: rng.int(0, 0xffffffff),
    blur,
  };
}

/** A random scene: picture size 220-320 px a side, one person 100-200 px tall, usually whole. */
export function sampleScene(seed: number, size?: { width?: number; height?: number }): Scene {
  const rng = createRng(seed);
  const width = size?.width ?? rng.int(220, 320);
  const height = size?.height ?? rng.int(220, 320);
  let pose = randomPose(rng, rng.uniform(100, 200));
  let { max } = extent(pose);
  // Too big for the frame: shrink so the person fits (the joint box starts at the origin).
  const fit = Math.min(1, (0.95 * width) / max[0], (0.95 * height) / max[1]);
  if (fit < 1) {
    pose = {
      ...pose,
      height: pose.height * fit,
      depth: pose.depth.map((d) => d * fit),
      joints: pose.joints.map(([x, y]) => [x * fit, y * fit]),
    };
    max = [max[0] * fit, max[1] * fit];
  }
  // Now and then the person is cut by the frame, as in real photographs.
  const overhang = rng.chance(0.12) ? 0.25 : 0;
  const dx = rng.uniform(-overhang * max[0], width - max[0] + overhang * max[0]);
  const dy = rng.uniform(-overhang * max[1], height - max[1] + overhang * max[1]);
  pose = shifted(pose, dx, dy);
  const occluders = rng.chance(0.35) ? (rng.chance(0.7) ? 1 : 2) : 0;
  return composeScene(rng, width, height, pose, { occluders, distractor: rng.chance(0.3) });
}
