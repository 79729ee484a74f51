// Where the built-in pose model's files come from: the optional npm package
// @vladmandic/human (MIT, no dependencies of its own), which ships CenterNet (objects, people
// among them) and MoveNet Lightning (17 COCO keypoints of one person) as TensorFlow.js graph
// models in its models/ folder. Nothing is fetched from the network. Tests and the CLI may
// name another folder holding the same files (`--models DIR`).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';

export const POSE_MODEL_PACKAGE = '@vladmandic/human';
export const POSE_MODEL_VERSION = '3.3.6';
/** The two graph models the suggester runs, by file stem in the models folder. */
export const POSE_MODEL_FILES = { detector: 'centernet', pose: 'movenet-lightning' } as const;

/** One line saying what is missing and how to get it. */
export function missingModelMessage(where: string): string {
  return `the built-in pose model is not installed (${where}): install the optional package with \`npm install ${POSE_MODEL_PACKAGE}@${POSE_MODEL_VERSION}\``;
}

/** The models folder: `override` when given (it must hold both models), else the installed package's. */
export function poseModelsDir(override?: string | null): string {
  let dir: string;
  if (override) dir = resolve(override);
  else {
    // Node's own search path for the package; its `exports` map hides package.json and models/ from require.resolve.
    const found = (createRequire(import.meta.url).resolve.paths(POSE_MODEL_PACKAGE) ?? [])
      .map((p) => join(p, POSE_MODEL_PACKAGE))
      .find((p) => existsSync(join(p, 'package.json')));
    if (!found) throw new StudioError('not-found', missingModelMessage(`no ${POSE_MODEL_PACKAGE} package found`));
    dir = join(found, 'models');
  }
  for (const stem of Object.values(POSE_MODEL_FILES)) {
    if (!existsSync(join(dir, `${stem}.json`)))
      throw new StudioError('not-found', missingModelMessage(`${join(dir, `${stem}.json`)} does not exist`));
  }
  return dir;
}
