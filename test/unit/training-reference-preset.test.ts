// The reference preset trains as the article's PyTorch code does: its random cut keeps the
// top-left-most visible joints inside the input, its colour noise follows the picture's own
// RGB covariance with one draw, its loss counts visible joints only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceColourNoise, referenceCut, symmetricEigen3 } from '../../src-main/core/pose/augment';
import { jointWeight } from '../../src-main/core/pose/joint-weight';
import { TRAINING_PRESETS } from '../../src-shared/training/presets';
import { trainingConfigSchema } from '../../src-shared/training/config';

test("the article's cut: offsets from 0 up to the smallest visible joint coordinate, never past base - input", () => {
  // Base 108, input 96: at most 12; joints from x 5, y 30.
  assert.deepEqual(referenceCut([0.999, 0.999], [5.7, 30], 108, 96), [5, 12]);
  assert.deepEqual(referenceCut([0, 0], [5.7, 30], 108, 96), [0, 0]);
  // Joints off the top-left: the cut stays at 0; no visible joints: the whole range.
  assert.deepEqual(referenceCut([0.999, 0.5], [-4, 50], 108, 96), [0, 6]);
  assert.deepEqual(referenceCut([0.999, 0.999], null, 108, 96), [12, 12]);
});

test('eigen decomposition of a symmetric 3×3 matrix', () => {
  const m = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
  const { values, vectors } = symmetricEigen3(m);
  for (let k = 0; k < 3; k++) {
    const v = [0, 1, 2].map((r) => vectors[3 * r + k]);
    const mv = [0, 1, 2].map((r) => m[3 * r] * v[0] + m[3 * r + 1] * v[1] + m[3 * r + 2] * v[2]);
    mv.forEach((x, r) => assert.ok(Math.abs(x - values[k] * v[r]) < 1e-9, `eigenpair ${k}`));
  }
});

test("the article's colour noise: alpha · Σ_k E[k][c] · sqrt(l_k) added to channel c", () => {
  // Two pixels differing only in red: the covariance has one non-zero eigenvalue (red's variance 0.08).
  const pixels = new Float32Array([0.3, 0.5, 0.5, 0.7, 0.5, 0.5]);
  referenceColourNoise(pixels, 0, 2, 0.1);
  const shift = 0.1 * Math.sqrt(0.08);
  // E is the identity up to signs and order; only red's eigenvector has a non-zero eigenvalue, so red moves by ±shift.
  assert.ok(Math.abs(Math.abs(pixels[0] - 0.3) - shift) < 1e-6, `red moved by ${pixels[0] - 0.3}`);
  assert.ok(Math.abs(pixels[1] - 0.5) < 1e-6 && Math.abs(pixels[2] - 0.5) < 1e-6);
});

test('the preset is the reference AlexNet with its optimizer, one stage, and a loss over visible joints only', () => {
  const config = trainingConfigSchema.parse({ ...TRAINING_PRESETS.reference, joints: 14 });
  assert.equal(config.model, 'alexnet');
  assert.deepEqual(
    [config.optimizer, config.lr, config.momentum, config.batchSize, config.stages],
    ['MomentumSGD', 0.01, 0.9, 32, 1],
  );
  assert.equal(config.augmentation, 'reference');
  assert.deepEqual(
    [2, 1, 0].map((v) => jointWeight(v, config)),
    [1, 0, 0],
  );
});
