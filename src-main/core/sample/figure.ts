// A clothed figure for a pose: torso, neck, head with hair and a face (which shows where the
// figure looks, so left and right can be learnt), limbs with thickness, hands and shoes.
// Every body part says which joints it carries and how near the camera it is, so parts can
// be painted far to near and hidden joints found.
import { JOINT, type FigurePose } from './body-pose';
import { contrastingColour, hex, hsl, mix, randomColour, scale, type Rgb } from './colours';
import type { Rng } from './prng';
import { covers, type Paint, type Point, type Shape } from './shapes';

export interface Appearance {
  skin: Rgb;
  hair: Rgb;
  shirt: Rgb;
  trousers: Rgb;
  shoes: Rgb;
  longSleeves: boolean;
  longTrousers: boolean;
}

/** Something painted in one go: a body part or an occluder. */
export interface Part {
  shapes: { shape: Shape; paint: Paint }[];
  /** Joints this part carries: it never hides them. */
  owns: number[];
  /** Larger is nearer the camera; parts are painted in increasing depth. */
  depth: number;
}

const SKIN_TONES: Rgb[] = [
  [255, 219, 180],
  [234, 192, 150],
  [205, 150, 110],
  [160, 110, 75],
  [110, 72, 48],
  [75, 50, 35],
];
const HAIR: Rgb[] = [
  [30, 22, 18],
  [60, 40, 25],
  [110, 70, 35],
  [200, 160, 90],
  [140, 140, 140],
];

/** Clothing that stands out against the given colours, so the figure reads at its core. */
export function sampleAppearance(rng: Rng, avoid: Rgb[]): Appearance {
  const skin = mix(rng.pick(SKIN_TONES), [128, 128, 128], rng.uniform(0, 0.1));
  const shirt = contrastingColour(rng, [...avoid, skin], 110, () => randomColour(rng, [0.35, 0.95], [0.25, 0.7]));
  const trousers = contrastingColour(rng, [...avoid, shirt], 90, () =>
    rng.chance(0.4)
      ? hsl(rng.uniform(200, 240), rng.uniform(0.3, 0.7), rng.uniform(0.15, 0.4))
      : randomColour(rng, [0.2, 0.9], [0.15, 0.65]),
  );
  return {
    skin,
    // The head top sits on the hair, so the hair (or a cap, when no hair colour stands out) must stand out too.
    hair: contrastingColour(rng, avoid, 80, () =>
      rng.chance(0.6)
        ? mix(rng.pick(HAIR), [0, 0, 0], rng.uniform(0, 0.3))
        : randomColour(rng, [0.3, 0.9], [0.15, 0.6]),
    ),
    shirt,
    trousers,
    shoes: hsl(rng.uniform(0, 360), rng.uniform(0, 0.4), rng.uniform(0.05, 0.3)),
    longSleeves: rng.chance(0.5),
    longTrousers: rng.chance(0.7),
  };
}

const sub = (a: Point, b: Point): Point => [a[0] - b[0], a[1] - b[1]];
const along = (a: Point, v: Point, k: number): Point => [a[0] + v[0] * k, a[1] + v[1] * k];
const len = (v: Point) => Math.hypot(v[0], v[1]);
const unit2 = (v: Point): Point => {
  const l = len(v) || 1;
  return [v[0] / l, v[1] / l];
};

function paint(colour: Rgb): Paint {
  return { fill: hex(colour), outline: hex(scale(colour, 0.6)) };
}

/** Body parts of one figure, sorted far to near. */
export function figureParts(pose: FigurePose, look: Appearance): Part[] {
  const { joints: j, depth, height: h } = pose;
  const parts: Part[] = [];
  const limb = (a: number, b: number, r: number, colour: Rgb): void => {
    parts.push({
      shapes: [{ shape: { kind: 'capsule', a: j[a], b: j[b], r: r * h }, paint: paint(colour) }],
      owns: [a, b],
      depth: (depth[a] + depth[b]) / 2 + 0.02 * h,
    });
  };

  // Torso: the shoulder-hip quad, plus a capsule that gives it body when seen side-on; trousers over the pelvis.
  const shoulderMid = along(j[JOINT.rightShoulder], sub(j[JOINT.leftShoulder], j[JOINT.rightShoulder]), 0.5);
  const hipMid = along(j[JOINT.rightHip], sub(j[JOINT.leftHip], j[JOINT.rightHip]), 0.5);
  const belt = (hip: number, shoulder: number) => along(j[hip], sub(j[shoulder], j[hip]), 0.22);
  parts.push({
    shapes: [
      {
        shape: {
          kind: 'polygon',
          points: [j[JOINT.rightShoulder], j[JOINT.leftShoulder], j[JOINT.leftHip], j[JOINT.rightHip]],
        },
        paint: paint(look.shirt),
      },
      {
        shape: { kind: 'capsule', a: along(shoulderMid, sub(hipMid, shoulderMid), 0.08), b: hipMid, r: 0.075 * h },
        paint: { fill: hex(look.shirt) },
      },
      {
        shape: {
          kind: 'polygon',
          points: [
            belt(JOINT.rightHip, JOINT.rightShoulder),
            belt(JOINT.leftHip, JOINT.leftShoulder),
            j[JOINT.leftHip],
            j[JOINT.rightHip],
          ],
        },
        paint: paint(look.trousers),
      },
    ],
    owns: [JOINT.rightShoulder, JOINT.leftShoulder, JOINT.rightHip, JOINT.leftHip, JOINT.neck],
    depth: (depth[JOINT.rightShoulder] + depth[JOINT.leftShoulder] + depth[JOINT.rightHip] + depth[JOINT.leftHip]) / 4,
  });

  // Head: the hair reaches a little past the head-top joint, so the label sits on the
  // figure even in blurred pictures.
  const neck = j[JOINT.neck];
  const toTop = sub(j[JOINT.headTop], neck);
  const up = unit2(len(toTop) > 1e-6 ? toTop : [0, -1]);
  const right: Point = [-up[1], up[0]];
  const L = len(toTop);
  const beyond = Math.max(2.5, 0.02 * h);
  const rx = 0.062 * h;
  const ry = Math.max((0.42 * L + beyond) / 1.07, 0.8 * rx);
  const centre = along(neck, up, L + beyond - 1.07 * ry);
  const angle = (Math.atan2(up[0], -up[1]) * 180) / Math.PI;
  const faceCentre = along(along(centre, up, -0.15 * ry), right, Math.sin(pose.yaw) * 0.3 * rx);
  const headShapes: Part['shapes'] = [
    { shape: { kind: 'capsule', a: neck, b: centre, r: 0.03 * h }, paint: { fill: hex(look.skin) } },
    {
      shape: { kind: 'ellipse', c: along(centre, up, 0.12 * ry), rx: 1.05 * rx, ry: 0.95 * ry, angle },
      paint: paint(look.hair),
    },
    {
      shape: { kind: 'ellipse', c: faceCentre, rx: rx * (0.8 + 0.15 * Math.cos(pose.yaw)), ry: 0.85 * ry, angle },
      paint: { fill: hex(look.skin) },
    },
  ];
  for (const side of [-1, 1]) {
    const offset = Math.sin(pose.yaw) * 0.45 * rx + side * 0.35 * rx * Math.cos(pose.yaw);
    if (Math.abs(offset) > 0.8 * rx) continue;
    const eye = along(along(centre, up, 0.05 * ry), right, offset);
    const r = Math.max(0.9, 0.11 * rx);
    headShapes.push({ shape: { kind: 'ellipse', c: eye, rx: r, ry: r, angle: 0 }, paint: { fill: '#1e1814' } });
  }
  parts.push({
    shapes: headShapes,
    owns: [JOINT.neck, JOINT.headTop],
    depth: (depth[JOINT.neck] + depth[JOINT.headTop]) / 2 + 0.03 * h,
  });

  for (const side of ['right', 'left'] as const) {
    const [shoulder, elbow, wrist] =
      side === 'right'
        ? [JOINT.rightShoulder, JOINT.rightElbow, JOINT.rightWrist]
        : [JOINT.leftShoulder, JOINT.leftElbow, JOINT.leftWrist];
    const [hip, knee, ankle] =
      side === 'right'
        ? [JOINT.rightHip, JOINT.rightKnee, JOINT.rightAnkle]
        : [JOINT.leftHip, JOINT.leftKnee, JOINT.leftAnkle];
    limb(shoulder, elbow, 0.036, look.shirt);
    limb(elbow, wrist, 0.03, look.longSleeves ? look.shirt : look.skin);
    limb(hip, knee, 0.052, look.trousers);
    limb(knee, ankle, 0.042, look.longTrousers ? look.trousers : look.skin);

    const hand = along(j[wrist], unit2(sub(j[wrist], j[elbow])), 0.022 * h);
    parts.push({
      shapes: [
        { shape: { kind: 'ellipse', c: hand, rx: 0.031 * h, ry: 0.031 * h, angle: 0 }, paint: paint(look.skin) },
      ],
      owns: [wrist],
      depth: depth[wrist] + 0.021 * h,
    });
    // Shoes point where the figure looks; seen from the front they are short.
    const shin = unit2(sub(j[ankle], j[knee]));
    const ahead: Point = [shin[1] * Math.sign(pose.yaw || 1), -shin[0] * Math.sign(pose.yaw || 1)];
    const toe = along(along(j[ankle], shin, 0.025 * h), ahead, 0.075 * h * Math.abs(Math.sin(pose.yaw)));
    parts.push({
      shapes: [{ shape: { kind: 'capsule', a: j[ankle], b: toe, r: 0.03 * h }, paint: paint(look.shoes) }],
      owns: [ankle],
      depth: depth[ankle] + 0.021 * h,
    });
  }
  return parts.sort((a, b) => a.depth - b.depth);
}

/** Whether each joint is hidden by a part painted after every part that carries it. */
export function hiddenJoints(joints: Point[], paintOrder: Part[]): boolean[] {
  return joints.map((p, joint) => {
    let lastOwner = -1;
    paintOrder.forEach((part, i) => {
      if (part.owns.includes(joint)) lastOwner = i;
    });
    return paintOrder.some(
      (part, i) => i > lastOwner && !part.owns.includes(joint) && part.shapes.some(({ shape }) => covers(shape, p)),
    );
  });
}
