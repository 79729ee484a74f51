// Plausible human poses: a small 3-D skeleton with joint angles drawn from ranges for a few
// kinds of pose, turned about the vertical axis (frontal to side-on), projected, rotated in
// the image plane and scaled. Joints are in LSP order.
import type { Rng } from './prng';
import type { Point } from './shapes';

export const JOINT = {
  rightAnkle: 0,
  rightKnee: 1,
  rightHip: 2,
  leftHip: 3,
  leftKnee: 4,
  leftAnkle: 5,
  rightWrist: 6,
  rightElbow: 7,
  rightShoulder: 8,
  leftShoulder: 9,
  leftElbow: 10,
  leftWrist: 11,
  neck: 12,
  headTop: 13,
} as const;
export const JOINT_COUNT = 14;

/** A figure in image pixels. `depth` grows toward the camera; `yaw` (radians) turns the face. */
export interface FigurePose {
  joints: Point[];
  depth: number[];
  /** Standing height in px: sets limb thickness and head size. */
  height: number;
  yaw: number;
}

export type PoseKind = 'standing' | 'arms-raised' | 'walking' | 'crouching' | 'action';
const POSE_KINDS: [PoseKind, number][] = [
  ['standing', 0.3],
  ['arms-raised', 0.2],
  ['walking', 0.2],
  ['crouching', 0.15],
  ['action', 0.15],
];

type Vec3 = [number, number, number];
type Range = [number, number];
/** Abduction (out to the side), flexion (toward the camera) and bend of the distal segment, degrees. */
interface LimbRange {
  abduct: Range;
  flex: Range;
  bend: Range;
}

const ARMS: Record<PoseKind, LimbRange> = {
  standing: { abduct: [-10, 40], flex: [-20, 40], bend: [0, 60] },
  'arms-raised': { abduct: [70, 175], flex: [-20, 50], bend: [0, 110] },
  walking: { abduct: [0, 30], flex: [-50, 60], bend: [20, 100] },
  crouching: { abduct: [0, 90], flex: [0, 80], bend: [20, 120] },
  action: { abduct: [-20, 175], flex: [-40, 90], bend: [0, 145] },
};
const LEGS: Record<PoseKind, LimbRange> = {
  standing: { abduct: [-5, 15], flex: [-15, 25], bend: [0, 30] },
  'arms-raised': { abduct: [-5, 25], flex: [-20, 40], bend: [0, 50] },
  walking: { abduct: [-5, 15], flex: [-35, 60], bend: [10, 90] },
  crouching: { abduct: [10, 45], flex: [50, 100], bend: [80, 140] },
  action: { abduct: [-10, 60], flex: [-30, 100], bend: [0, 130] },
};
const LEAN: Record<PoseKind, Range> = {
  standing: [0, 10],
  'arms-raised': [0, 10],
  walking: [0, 15],
  crouching: [10, 40],
  action: [0, 30],
};

const deg = (d: number) => (d * Math.PI) / 180;
const add = (a: Vec3, b: Vec3, k = 1): Vec3 => [a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const unit = (a: Vec3): Vec3 => {
  const len = Math.hypot(...a) || 1;
  return [a[0] / len, a[1] / len, a[2] / len];
};

/** Limb direction; side -1 = the person's right (image left when facing the camera). */
function limbDirection(side: -1 | 1, abduct: number, flex: number): Vec3 {
  const a = deg(abduct);
  const f = deg(flex);
  return [side * Math.sin(a) * Math.cos(f), Math.cos(a) * Math.cos(f), Math.sin(f)];
}

/** Turns `d` by `angle` degrees toward `target`: how an elbow or a knee bends. */
function bendToward(d: Vec3, target: Vec3, angle: number): Vec3 {
  let perp = add(target, d, -dot(target, d));
  if (Math.hypot(...perp) < 1e-6) perp = [0, 0, 1];
  perp = unit(perp);
  const b = deg(angle);
  return unit(add([d[0] * Math.cos(b), d[1] * Math.cos(b), d[2] * Math.cos(b)], perp, Math.sin(b)));
}

function pickKind(rng: Rng): PoseKind {
  let r = rng.next();
  for (const [kind, p] of POSE_KINDS) {
    if ((r -= p) < 0) return kind;
  }
  return 'standing';
}

function between(rng: Rng, [min, max]: Range): number {
  return rng.uniform(min, max);
}

/** 14 joints in body units (standing height 1), pelvis at the origin, x = the person's left, y down, z toward the camera. */
export function sampleBody(rng: Rng, kind: PoseKind = pickKind(rng)): Vec3[] {
  const k = () => rng.uniform(0.92, 1.08);
  const torso = 0.3 * k();
  const shoulderHalf = 0.11 * k();
  const hipHalf = 0.065 * k();
  const upperArm = 0.17 * k();
  const foreArm = 0.15 * k();
  const thigh = 0.24 * k();
  const shin = 0.24 * k();
  const head = 0.18 * k();

  const lean = deg(between(rng, LEAN[kind]));
  const sideBend = deg(rng.uniform(-10, 10));
  const spine = unit([Math.sin(sideBend), -Math.cos(lean) * Math.cos(sideBend), Math.sin(lean)]);
  const pelvis: Vec3 = [0, 0, 0];
  const neck = add(pelvis, spine, torso);
  const across: Vec3 = unit([Math.cos(sideBend), Math.sin(sideBend), 0]);
  const joints: Vec3[] = new Array(JOINT_COUNT);
  joints[JOINT.neck] = neck;
  joints[JOINT.headTop] = add(neck, unit(add(spine, [rng.uniform(-0.25, 0.25), 0, rng.uniform(-0.15, 0.3)])), head);
  joints[JOINT.rightShoulder] = add(add(neck, across, -shoulderHalf), spine, -0.03);
  joints[JOINT.leftShoulder] = add(add(neck, across, shoulderHalf), spine, -0.03);
  joints[JOINT.rightHip] = add(pelvis, across, -hipHalf);
  joints[JOINT.leftHip] = add(pelvis, across, hipHalf);

  const walkingPhase = rng.sign();
  for (const side of [-1, 1] as const) {
    const arm = ARMS[kind];
    const leg = LEGS[kind];
    // Walkers swing opposite arm and leg.
    const swing = kind === 'walking' ? side * walkingPhase : 0;
    const armFlex = swing
      ? swing > 0
        ? rng.uniform(10, arm.flex[1])
        : rng.uniform(arm.flex[0], -5)
      : between(rng, arm.flex);
    const legFlex = swing
      ? swing < 0
        ? rng.uniform(10, leg.flex[1])
        : rng.uniform(leg.flex[0], 0)
      : between(rng, leg.flex);
    const [shoulder, elbow, wrist] =
      side < 0
        ? [JOINT.rightShoulder, JOINT.rightElbow, JOINT.rightWrist]
        : [JOINT.leftShoulder, JOINT.leftElbow, JOINT.leftWrist];
    const [hip, knee, ankle] =
      side < 0 ? [JOINT.rightHip, JOINT.rightKnee, JOINT.rightAnkle] : [JOINT.leftHip, JOINT.leftKnee, JOINT.leftAnkle];

    const upper = limbDirection(side, between(rng, arm.abduct), armFlex);
    joints[elbow] = add(joints[shoulder], upper, upperArm);
    // Elbows bend the hand forward, up and a little inward.
    joints[wrist] = add(
      joints[elbow],
      bendToward(upper, unit([-side * 0.3, -1, 0.8]), between(rng, arm.bend)),
      foreArm,
    );

    const femur = limbDirection(side, between(rng, leg.abduct), legFlex);
    joints[knee] = add(joints[hip], femur, thigh);
    // Knees bend the foot down and back.
    joints[ankle] = add(joints[knee], bendToward(femur, unit([0, 1, -1]), between(rng, leg.bend)), shin);
  }
  return joints;
}

export interface Placement {
  /** Radians about the vertical axis: 0 faces the camera, ±π/2 is side-on. */
  yaw: number;
  /** Degrees in the image plane, clockwise. */
  rotation: number;
  height: number;
  /** Where the body origin (pelvis) lands, px. */
  origin: Point;
}

/** Orthographic projection of a body into the image. */
export function projectBody(body: Vec3[], { yaw, rotation, height, origin }: Placement): FigurePose {
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const r = deg(rotation);
  const cr = Math.cos(r);
  const sr = Math.sin(r);
  const joints: Point[] = [];
  const depth: number[] = [];
  for (const [x, y, z] of body) {
    const xt = x * cy + z * sy;
    const zt = -x * sy + z * cy;
    joints.push([origin[0] + height * (xt * cr - y * sr), origin[1] + height * (xt * sr + y * cr)]);
    depth.push(zt * height);
  }
  return { joints, depth, height, yaw };
}

/** Yaw drawn so that most figures face the camera, some are three-quarter, a few side-on; never from behind. */
export function sampleYaw(rng: Rng): number {
  const r = rng.next();
  const magnitude = r < 0.5 ? rng.uniform(0, 25) : r < 0.8 ? rng.uniform(25, 55) : rng.uniform(55, 88);
  return deg(magnitude) * rng.sign();
}
