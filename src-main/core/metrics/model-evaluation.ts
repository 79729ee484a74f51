// What scoring a model's predictions outside its project needs, kept beside the run when it is
// launched (<run>/evaluation.json): the skeleton (joint names, torso, head, limbs) and the
// training set's mean pose, so that `deeppose predict` on a labeled list can print PCK, PCP
// and the mean-pose baseline without the project.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { COCO17, LSP14, Skeleton } from '../../../src-shared/domain/skeleton';
import { writeFileDurable } from '../files/durable-write';
import type { MeanPose } from './mean-pose-baseline';

const FILE = 'evaluation.json';

const ModelEvaluation = z.object({
  skeleton: Skeleton,
  /** Per joint, the mean position in view units, null when never labeled. */
  meanPose: z.array(z.tuple([z.number(), z.number()]).nullable()),
});
export type ModelEvaluation = z.infer<typeof ModelEvaluation>;

export function writeModelEvaluation(runDir: string, evaluation: { skeleton: Skeleton; meanPose: MeanPose }): void {
  mkdirSync(runDir, { recursive: true });
  writeFileDurable(join(runDir, FILE), JSON.stringify(evaluation));
}

/** The evaluation file of the run a model folder belongs to (its model/, stage or checkpoint folders), else null. */
export function readModelEvaluation(modelDir: string): ModelEvaluation | null {
  for (let dir = modelDir, up = 0; up < 4; dir = dirname(dir), up++) {
    const path = join(dir, FILE);
    if (!existsSync(path)) continue;
    try {
      return ModelEvaluation.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch {
      return null;
    }
  }
  return null;
}

/** A skeleton for a joint count when the model carries none: LSP-14, COCO-17, else joints by number. */
export function skeletonForJoints(count: number): Skeleton {
  if (count === LSP14.joints.length) return LSP14;
  if (count === COCO17.joints.length) return COCO17;
  return {
    name: `${count} joints`,
    joints: Array.from({ length: count }, (_, j) => `joint ${j}`),
    edges: [],
    flipPairs: [],
  };
}
