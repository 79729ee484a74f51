// The crop rule of a cascade's refinement stages (DeepPose, section 3): a square sub-image of
// side σ · diam(estimate) centred on one joint's previous estimate, where diam is the torso
// diameter of the estimated pose. Training, validation, prediction and the exported crop rule
// all place refinement crops with these two functions.
import type { Square } from './crop-geometry';

const MIN_SIDE = 16;

/**
 * The estimate's torso diameter: the mean length of the torso pairs (shoulder to opposite hip);
 * for a skeleton without them, half the longer side of the estimate's extent.
 */
export function poseDiameter(estimate: [number, number][], torsoPairs: [number, number][]): number {
  const lengths = torsoPairs.filter(([a, b]) => estimate[a] && estimate[b]).map(([a, b]) => Math.hypot(estimate[a][0] - estimate[b][0], estimate[a][1] - estimate[b][1]));
  if (lengths.length > 0) return lengths.reduce((s, d) => s + d, 0) / lengths.length;
  const xs = estimate.map(([x]) => x);
  const ys = estimate.map(([, y]) => y);
  return Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2;
}

/** The sub-image around one joint's estimate, in whole pixels. */
export function refineSquare(centre: [number, number], diameter: number, sigma: number): Square {
  const side = Math.round(Math.max(MIN_SIDE, sigma * diameter));
  return { x0: Math.round(centre[0] - side / 2), y0: Math.round(centre[1] - side / 2), side };
}
