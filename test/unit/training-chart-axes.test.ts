// The charts say what the run is: a PCK axis that fits the data (1-2 % on 0-100 % was a flat
// line) and the loss's unit from the model's real input side (alexnet-tiny's 96, not 227).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pckAxisRange } from '../../src-renderer/src/lib/training/chart-data';
import { lossAxisLabel } from '../../src-renderer/src/lib/training/format';
import { settingFields } from '../../src-renderer/src/lib/training/settings';

test('the PCK axis ends a round step above the highest value, baseline included', () => {
  assert.deepEqual(pckAxisRange([1.2, 2.1, null]), [0, 5]);
  assert.deepEqual(pckAxisRange([6.8, 9.6]), [0, 11]);
  assert.deepEqual(pckAxisRange([12.1, 20.5, 1.6]), [0, 25]);
  assert.deepEqual(pckAxisRange([88, 97]), [0, 100]);
  assert.deepEqual(pckAxisRange([]), [0, 5]);
});

test("the loss axis and the Architecture help name each model's input side", () => {
  assert.equal(lossAxisLabel('alexnet-tiny'), 'Loss (MSE, coords ÷ 96)');
  assert.equal(lossAxisLabel('alexnet'), 'Loss (MSE, coords ÷ 227)');
  assert.equal(lossAxisLabel(undefined), 'Loss (MSE, coords ÷ input side)');
  const help = settingFields.find((f) => f.key === 'model')!.help;
  assert.match(help, /96 px \(alexnet-tiny\)/);
  assert.doesNotMatch(help, /227×227 crop/);
});
