// Which person of an image an accepted prediction becomes. "Accept" replaces a label: it must
// never leave a second person beside the one the prediction is of.
import type { Instance } from '../../../src-shared/domain/image';

/**
 * A person added but not labeled yet (the annotator made it for this); else the labeled person
 * nearest the prediction (mean distance over its labeled joints, whoever placed them); null
 * when the image has nobody, so a new person is made.
 */
export function instanceToReplace(instances: Instance[], joints: [number, number][]): number | null {
  const labeled = (i: Instance) => i.keypoints.filter((k) => k.visibility > 0);
  const empty = instances.find((i) => labeled(i).length === 0);
  if (empty) return empty.id;
  let best: { id: number; mean: number } | null = null;
  for (const instance of instances) {
    const distances = labeled(instance)
      .filter((k) => k.joint < joints.length)
      .map((k) => Math.hypot(joints[k.joint][0] - k.x, joints[k.joint][1] - k.y));
    if (distances.length === 0) continue;
    const mean = distances.reduce((a, b) => a + b, 0) / distances.length;
    if (!best || mean < best.mean) best = { id: instance.id, mean };
  }
  return best?.id ?? null;
}
