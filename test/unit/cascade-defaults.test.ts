// The defaults issue 26 measured on new pictures (README, "Why wrists and ankles stay low"):
// training mirrors pictures with left/right swapped, the joint close-up is 3 torso diameters
// wide, and close-ups are drawn per joint in proportion to its error. The reference preset
// keeps the article's unmirrored training.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainingConfigSchema } from '../../src-shared/training/config';
import { TRAINING_PRESETS } from '../../src-shared/training/presets';
import { cascadeRule } from '../../src-main/core/pose/cascade-files';
import { refineSquare } from '../../src-main/core/pose/refine-view';
import { drawAugmentation } from '../../src-main/core/pose/augment';
import { streamFor } from '../../src-main/core/training/rng';

const defaults = trainingConfigSchema.parse({ model: 'alexnet-tiny', joints: 14 });

function mirroredShare(flip: boolean): number {
  const rng = streamFor(1, 'augment', 0, 0);
  let mirrored = 0;
  for (let i = 0; i < 400; i++) if (drawAugmentation(rng, 108, 96, flip).flipped) mirrored++;
  return mirrored / 400;
}

test('by default about half the training crops are mirrored; the reference preset mirrors none', () => {
  const share = mirroredShare(defaults.flip);
  assert.ok(share > 0.4 && share < 0.6, `mirrored share ${share}`);
  const reference = trainingConfigSchema.parse({ ...TRAINING_PRESETS.reference, joints: 14 });
  assert.equal(mirroredShare(reference.flip), 0);
});

test("by default a joint's close-up is 3 estimated torso diameters wide, centred on its estimate", () => {
  const square = refineSquare([200, 100], 50, cascadeRule(defaults).sigma);
  assert.deepEqual(square, { x0: 125, y0: 25, side: 150 });
});

test('by default close-ups are drawn per joint in proportion to its error', () => {
  assert.equal(defaults.refineFocus, 'error');
});
