// The oneDNN step's native binding refuses what it cannot use with an error naming the
// argument, instead of reading past an array's end or touching freed buffers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOneDnn } from '../../src-main/core/engines/onednn/onednn-addon';
import { LAYER_KINDS, planRow } from '../../src-main/core/engines/onednn/plan-fields';

const loaded = loadOneDnn();
const skip = 'problem' in loaded && `oneDNN step ${loaded.problem}`;

/** conv 3→4 (3×3, 8×8 → 6×6, ReLU), flatten, dense 144→2: one joint. */
function tinyEngine(addon: NonNullable<Exclude<typeof loaded, { problem: string }>>['addon']) {
  const spec = Int32Array.from([
    ...planRow({
      kind: LAYER_KINDS.conv,
      inC: 3,
      outC: 4,
      inH: 8,
      inW: 8,
      outH: 6,
      outW: 6,
      kh: 3,
      kw: 3,
      sh: 1,
      sw: 1,
      relu: 1,
    }),
    ...planRow({ kind: LAYER_KINDS.flatten, outC: 4, outH: 6, outW: 6 }),
    ...planRow({ kind: LAYER_KINDS.dense, inUnits: 144, units: 2 }),
  ]);
  return addon.create(spec, 2, 8, 2, 0, 0.9, 1);
}

test('wrong sizes, a disposed engine and a malformed plan are refused by name', { skip }, () => {
  if ('problem' in loaded) return;
  const { addon } = loaded;
  const engine = tinyEngine(addon);
  const weights = [
    new Float32Array(3 * 3 * 3 * 4),
    new Float32Array(4),
    new Float32Array(144 * 2),
    new Float32Array(2),
  ];
  const slots = weights.map((w) => new Float32Array(w.length));
  const good = (pixels = new Float32Array(2 * 8 * 8 * 3)) =>
    addon.step(
      engine,
      pixels,
      new Float32Array(4),
      new Float32Array(2).fill(1),
      [],
      Float32Array.of(0.9, -0.01),
      weights,
      slots,
    );
  assert.ok(Number.isFinite(good()), 'a well-formed step runs');
  assert.throws(() => good(new Float32Array(10)), /pixels: 10 values, expected 384/);
  assert.throws(
    () =>
      addon.step(
        engine,
        new Float32Array(384),
        new Float32Array(4),
        new Float32Array(2),
        [],
        Float32Array.of(0.9, -0.01),
        weights.slice(1),
        slots,
      ),
    /wrong count/,
  );
  assert.throws(
    () =>
      addon.step(
        engine,
        new Float32Array(384),
        new Float32Array(4),
        new Float32Array(2),
        [],
        Float32Array.of(0.9, -0.01),
        [new Float32Array(5), ...weights.slice(1)],
        slots,
      ),
    /weight: 5 values, expected 108/,
  );
  assert.throws(() => addon.create(new Int32Array(5), 2, 8, 2, 0, 0.9, 1), /spec: not a whole number of layers/);
  addon.dispose(engine);
  assert.throws(() => good(), /the engine was disposed/);
});
