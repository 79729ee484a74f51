// The joint close-ups a refinement epoch trains on: each is centred on a simulated estimate
// (the truth plus one observed error), and with refineFocus 'error' the joints the earlier
// stages miss most get proportionally more of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Example } from '../../src-shared/training/protocol';
import { trainingConfigSchema } from '../../src-shared/training/config';
import {
  meanErrors,
  refinementExamples,
  type ObservedErrors,
} from '../../src-main/core/training/cascade/simulated-estimates';
import type { CascadeRule } from '../../src-main/core/inference/cascade';

const rule: CascadeRule = { cropScale: 1.5, sigma: 2, torsoPairs: [[0, 1]], kinds: ['whole', 'joints'] };

// Joint 0 to joint 1 is the torso (100 px); joint 2 is an extremity.
const example: Example = {
  imagePath: 'unused.jpg',
  box: null,
  joints: [
    [100, 100, 2],
    [100, 200, 2],
    [150, 250, 2],
  ],
} as Example;

// Joints 0 and 1 were missed by 0.1 torso diameters, joint 2 by 0.8: eight times as far.
const errors: ObservedErrors = {
  joints: [[[0.1, 0, 1]], [[0, 0.1, 1]], [[0.8, 0, 1]]],
  person: [[0, 0, 1]],
};

function focusShares(focusBy: 'uniform' | 'error'): number[] {
  const crops = refinementExamples(Array(200).fill(example), errors, rule, 10, 5, 0, focusBy);
  const counts = [0, 0, 0];
  for (const crop of crops) counts[crop.focus!]++;
  return counts.map((c) => c / crops.length);
}

test('a close-up is centred on the truth moved by an observed error, sized σ × the torso', () => {
  const crops = refinementExamples([example], errors, rule, 30, 1, 0);
  for (const crop of crops) {
    const [x, y] = example.joints[crop.focus!];
    const [dx, dy] = errors.joints[crop.focus!][0];
    assert.equal(crop.view!.side, 200);
    assert.ok(Math.abs(crop.view!.x0 + 100 - (x + 100 * dx)) < 1e-9);
    assert.ok(Math.abs(crop.view!.y0 + 100 - (y + 100 * dy)) < 1e-9);
  }
});

test("uniform focus draws every labeled joint alike; 'error' focus in proportion to its mean error", () => {
  assert.deepEqual(
    meanErrors(errors).map((e) => Number(e.toFixed(6))),
    [0.1, 0.1, 0.8],
  );
  for (const share of focusShares('uniform')) assert.ok(Math.abs(share - 1 / 3) < 0.03, `uniform share ${share}`);
  const [a, b, c] = focusShares('error');
  assert.ok(Math.abs(c - 0.8) < 0.03, `the extremity's share ${c}, expected 0.8`);
  assert.ok(Math.abs(a - 0.1) < 0.03 && Math.abs(b - 0.1) < 0.03, `torso shares ${a}, ${b}`);
});

test('the same seed and epoch draw the same close-ups', () => {
  const one = refinementExamples([example, example], errors, rule, 4, 9, 3, 'error');
  const two = refinementExamples([example, example], errors, rule, 4, 9, 3, 'error');
  assert.deepEqual(
    one.map((c) => c.focus),
    two.map((c) => c.focus),
  );
});

test('the default focus is the one README reports as measured best', () => {
  assert.equal(trainingConfigSchema.parse({ model: 'alexnet-tiny', joints: 14 }).refineFocus, 'error');
});
