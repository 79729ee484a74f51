// Training data for the cascade's later stages (DeepPose, section 3): crops around *simulated*
// estimates. The previous stages' errors on the training set, in units of the
// true torso diameter, are the distribution; each crop draws one observed error of its joint
// (and the estimate's diameter ratio from the same observation), so the stage learns from
// displacements as large and as shaped as the ones it will have to correct. The paper draws 40
// per joint once; here every epoch draws `refineDraws` joints per example afresh, seeded.
import type { Example } from '../../../../src-shared/training/protocol';
import { decodeImage } from '../../pose/load-crop';
import { personSquare, poseDiameter, refineSquare } from '../../pose/refine-view';
import type { CropExample } from '../data/batches';
import { streamFor } from '../rng';
import { predictCascade, type CascadeRule, type StageNet } from '../../inference/cascade';

/** What the earlier stages got wrong on the training set, in units of each truth's torso diameter. */
export interface ObservedErrors {
  /** Per joint, [dx, dy, diameter ratio]: estimate minus truth, and the estimate's diameter over the truth's. */
  joints: [number, number, number][][];
  /** Per example, [dx, dy, size ratio]: the estimate's extent centre minus the truth's, and longer side over the truth's. */
  person: [number, number, number][];
}

/** Centre and longer side of a pose's extent. */
function extent(points: [number, number][]): { cx: number; cy: number; side: number } {
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return {
    cx: (Math.min(...xs) + Math.max(...xs)) / 2,
    cy: (Math.min(...ys) + Math.max(...ys)) / 2,
    side: Math.max(1, Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)),
  };
}

function labeledPoints(joints: [number, number, number][]): [number, number][] {
  return joints.filter(([, , v]) => v > 0).map(([x, y]): [number, number] => [x, y]);
}

/** The torso diameter of labeled joints (unlabeled ones left out). */
export function truthDiameter(joints: [number, number, number][], torsoPairs: [number, number][]): number | null {
  const labeled = joints.map(([x, y, v]): [number, number] | null => (v > 0 ? [x, y] : null));
  const pairs = torsoPairs.filter(([a, b]) => labeled[a] && labeled[b]);
  const points = labeled.filter((p): p is [number, number] => p !== null);
  if (points.length < 2) return null;
  const d = pairs.length > 0 ? poseDiameter(labeled as [number, number][], pairs) : poseDiameter(points, []);
  return d > 0 ? d : null;
}

/** Runs the earlier stages over the training examples and collects each joint's errors. */
export async function observeErrors(
  nets: StageNet[],
  train: Example[],
  rule: CascadeRule,
  joints: number,
  shouldStop: () => boolean = () => false,
): Promise<ObservedErrors> {
  const errors: ObservedErrors = { joints: Array.from({ length: joints }, () => []), person: [] };
  for (const example of train) {
    if (shouldStop()) break;
    const diameter = truthDiameter(example.joints, rule.torsoPairs);
    if (diameter === null) continue;
    const { joints: estimate } = await predictCascade(await decodeImage(example.imagePath), example.box, nets, rule);
    const ratio = poseDiameter(estimate, rule.torsoPairs) / diameter;
    example.joints.forEach(([x, y, v], j) => {
      if (v > 0) errors.joints[j].push([(estimate[j][0] - x) / diameter, (estimate[j][1] - y) / diameter, ratio]);
    });
    // The person crop is placed by the whole estimate; the truth's extent is of its labeled joints.
    const truth = extent(labeledPoints(example.joints));
    const guess = extent(estimate);
    errors.person.push([(guess.cx - truth.cx) / diameter, (guess.cy - truth.cy) / diameter, guess.side / truth.side]);
  }
  return errors;
}

/** The refinement crops of one epoch: `draws` per example, each a labeled joint around a simulated estimate. */
export function refinementExamples(
  train: Example[],
  errors: ObservedErrors,
  rule: CascadeRule,
  draws: number,
  seed: number,
  epoch: number,
  focusBy: 'uniform' | 'error' = 'uniform',
): CropExample[] {
  const rng = streamFor(seed, 'simulate', epoch);
  const out: CropExample[] = [];
  const weight = focusBy === 'error' ? meanErrors(errors) : errors.joints.map(() => 1);
  for (const example of train) {
    const diameter = truthDiameter(example.joints, rule.torsoPairs);
    const candidates = example.joints.flatMap(([, , v], j) =>
      v > 0 && errors.joints[j].length > 0 && weight[j] > 0 ? [j] : [],
    );
    if (diameter === null || candidates.length === 0) continue;
    for (let d = 0; d < draws; d++) {
      const focus = weightedPick(candidates, weight, rng.next());
      const [dx, dy, ratio] = errors.joints[focus][rng.int(errors.joints[focus].length)];
      const [x, y] = example.joints[focus];
      const view = refineSquare([x + dx * diameter, y + dy * diameter], ratio * diameter, rule.sigma);
      out.push({ ...example, view, focus });
    }
  }
  return out;
}

/** Each joint's mean observed error (distance, in torso diameters). */
export function meanErrors(errors: ObservedErrors): number[] {
  return errors.joints.map((rows) =>
    rows.length ? rows.reduce((sum, [dx, dy]) => sum + Math.hypot(dx, dy), 0) / rows.length : 0,
  );
}

/** One of `candidates`, each chosen with probability proportional to its weight; `u` uniform in [0, 1). */
function weightedPick(candidates: number[], weight: number[], u: number): number {
  const total = candidates.reduce((sum, j) => sum + weight[j], 0);
  let left = u * total;
  for (const j of candidates) {
    left -= weight[j];
    if (left < 0) return j;
  }
  return candidates[candidates.length - 1];
}

/** A 'person' stage's crops of one epoch: each example once, around a simulated estimate's extent. */
export function personExamples(
  train: Example[],
  errors: ObservedErrors,
  rule: CascadeRule,
  seed: number,
  epoch: number,
): CropExample[] {
  const rng = streamFor(seed, 'simulate', epoch);
  return train.flatMap((example): CropExample[] => {
    const diameter = truthDiameter(example.joints, rule.torsoPairs);
    if (diameter === null || errors.person.length === 0) return [example];
    const [dx, dy, ratio] = errors.person[rng.int(errors.person.length)];
    const truth = extent(labeledPoints(example.joints));
    const side = truth.side * ratio;
    const cx = truth.cx + dx * diameter;
    const cy = truth.cy + dy * diameter;
    return [
      {
        ...example,
        view: personSquare(
          [
            [cx - side / 2, cy - side / 2],
            [cx + side / 2, cy + side / 2],
          ],
          rule.cropScale,
        ),
      },
    ];
  });
}
