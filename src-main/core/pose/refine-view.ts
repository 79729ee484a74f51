// The crop rules of a cascade's later stages. A 'joints' stage (DeepPose, section 3) sees a
// square sub-image of side σ · diam(estimate) centred on one joint's previous estimate, where
// diam is the torso diameter of the estimated pose; a 'person' stage sees the square around the
// estimate's extent, as stage 1 sees a person box. Training, validation, prediction and the
// exported crop rule all place these crops with the functions here.
import { cropSquare, type Square } from './crop-geometry';

const MIN_SIDE = 16;

/**
 * The estimate's torso diameter: the mean length of the torso pairs (shoulder to opposite hip);
 * for a skeleton without them, half the longer side of the estimate's extent.
 */
export function poseDiameter(estimate: [number, number][], torsoPairs: [number, number][]): number {
  const lengths = torsoPairs
    .filter(([a, b]) => estimate[a] && estimate[b])
    .map(([a, b]) => Math.hypot(estimate[a][0] - estimate[b][0], estimate[a][1] - estimate[b][1]));
  if (lengths.length > 0) return lengths.reduce((s, d) => s + d, 0) / lengths.length;
  const xs = estimate.map(([x]) => x);
  const ys = estimate.map(([, y]) => y);
  return Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2;
}

/** The square around a pose's extent, `scale` × its longer side (the crop rule's box square). */
export function personSquare(pose: [number, number][], scale: number): Square {
  const xs = pose.map(([x]) => x);
  const ys = pose.map(([, y]) => y);
  const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return cropSquare(
    { box: [left, top, Math.max(1, right - left), Math.max(1, bottom - top)], width: 0, height: 0 },
    scale,
  );
}

/** The sub-image around one joint's estimate (not rounded: see cropSquare). */
export function refineSquare(centre: [number, number], diameter: number, sigma: number): Square {
  const side = Math.max(MIN_SIDE, sigma * diameter);
  return { x0: centre[0] - side / 2, y0: centre[1] - side / 2, side };
}
