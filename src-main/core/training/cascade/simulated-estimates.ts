// Training data for a refinement stage (DeepPose, section 3): crops around *simulated*
// estimates of each joint. The previous stages' errors on the training set, in units of the
// true torso diameter, are the distribution; each crop draws one observed error of its joint
// (and the estimate's diameter ratio from the same observation), so the stage learns from
// displacements as large and as shaped as the ones it will have to correct. The paper draws 40
// per joint once; here every epoch draws `refineDraws` joints per example afresh, seeded.
import type { Example } from '../../../../src-shared/training/protocol';
import { decodeImage } from '../data/load-crop';
import { poseDiameter, refineSquare } from '../data/refine-view';
import type { CropExample } from '../data/batches';
import { streamFor } from '../rng';
import { predictCascade, type CascadeRule, type StageNet } from '../../inference/cascade';

/** Per joint, observed [dx, dy, diameter ratio]: estimate minus truth over the truth's diameter. */
export type ObservedErrors = [number, number, number][][];

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
export async function observeErrors(nets: StageNet[], train: Example[], rule: CascadeRule, joints: number, shouldStop: () => boolean = () => false): Promise<ObservedErrors> {
  const errors: ObservedErrors = Array.from({ length: joints }, () => []);
  for (const example of train) {
    if (shouldStop()) break;
    const diameter = truthDiameter(example.joints, rule.torsoPairs);
    if (diameter === null) continue;
    const { joints: estimate } = await predictCascade(await decodeImage(example.imagePath), example.box, nets, rule);
    const ratio = poseDiameter(estimate, rule.torsoPairs) / diameter;
    example.joints.forEach(([x, y, v], j) => {
      if (v > 0) errors[j].push([(estimate[j][0] - x) / diameter, (estimate[j][1] - y) / diameter, ratio]);
    });
  }
  return errors;
}

/** The refinement crops of one epoch: `draws` per example, each a labeled joint around a simulated estimate. */
export function refinementExamples(train: Example[], errors: ObservedErrors, rule: CascadeRule, draws: number, seed: number, epoch: number): CropExample[] {
  const rng = streamFor(seed, 'simulate', epoch);
  const out: CropExample[] = [];
  for (const example of train) {
    const diameter = truthDiameter(example.joints, rule.torsoPairs);
    const candidates = example.joints.flatMap(([, , v], j) => (v > 0 && errors[j].length > 0 ? [j] : []));
    if (diameter === null || candidates.length === 0) continue;
    for (let d = 0; d < draws; d++) {
      const focus = candidates[rng.int(candidates.length)];
      const [dx, dy, ratio] = errors[focus][rng.int(errors[focus].length)];
      const [x, y] = example.joints[focus];
      const view = refineSquare([x + dx * diameter, y + dy * diameter], ratio * diameter, rule.sigma);
      out.push({ ...example, view, focus });
    }
  }
  return out;
}
