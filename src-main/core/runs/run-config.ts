// A run's full configuration from the user's settings and the project's skeleton, and the
// catalog's examples as the worker takes them: what training, its estimate and its speed
// calibration all start from.
import { StudioError } from '../../../src-shared/api/define';
import { TrainingSettings, type TrainingSettingsInput } from '../../../src-shared/api/training.contract';
import { trainingConfigSchema, type TrainingConfig } from '../../../src-shared/training/config';
import type { Example } from '../../../src-shared/training/protocol';
import type { listExamples } from '../catalog/examples';
import type { Catalog } from '../catalog/open-catalog';
import { readProject } from '../catalog/project-info';
import { torsoPairsFor } from '../pose/pose-joints';

export function runConfig(catalog: Catalog, settings: TrainingSettingsInput): TrainingConfig {
  const skeleton = readProject(catalog).skeleton;
  const parsed = TrainingSettings.parse(settings);
  // A pair naming a joint the skeleton lacks would measure PCK against nothing.
  for (const [a, b] of parsed.torsoPairs ?? []) {
    const bad = [a, b].find((j) => !Number.isInteger(j) || j < 0 || j >= skeleton.joints.length);
    if (bad !== undefined)
      throw new StudioError(
        'invalid-argument',
        `torso pair ${a}:${b}: joint ${bad} is not in the project's ${skeleton.joints.length}-joint skeleton (joints 0-${skeleton.joints.length - 1})`,
      );
  }
  // The skeleton's own torso (LSP's pair first), so that a COCO project's PCK is not measured between LSP's indices.
  const torsoPairs = parsed.torsoPairs ?? (torsoPairsFor(skeleton).length ? torsoPairsFor(skeleton) : undefined);
  return trainingConfigSchema.parse({
    ...parsed,
    torsoPairs,
    joints: skeleton.joints.length,
    flipPairs: skeleton.flipPairs,
  });
}

export function toWorkerExamples(examples: ReturnType<typeof listExamples>): Example[] {
  return examples.map((e) => ({ imagePath: e.imagePath, joints: e.joints, box: e.box }));
}
