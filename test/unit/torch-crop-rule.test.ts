// The PyTorch engine's crop rule is the exported runner's, letter for letter: one text of the
// rule in Python, so the engine trains on the crops a prediction through the runner makes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CASCADE_RUNNER_PY } from '../../src-main/core/training/models/cascade-runner-py';
import { repoRoot } from '../support/paths';

test("the engine's crop_rule.py functions are the exported runner's", () => {
  const engine = readFileSync(join(repoRoot, 'engines', 'torch', 'deeppose_torch', 'crop_rule.py'), 'utf8');
  const body = engine.slice(engine.indexOf('MIN_SIDE = '));
  const names = [...body.matchAll(/^def (\w+)\(/gm)].map((m) => m[1]);
  assert.deepEqual(names, ['box_square', 'whole_square', 'person_square', 'pose_diameter', 'joint_square', 'warp']);
  assert.ok(CASCADE_RUNNER_PY.includes(body.trimEnd()), 'crop_rule.py differs from the runner in cascade-runner-py.ts');
});
