import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pck, pdj } from '../../src-main/core/metrics/detection-rate';
import { pcp } from '../../src-main/core/metrics/pcp';
import { meanPixelError } from '../../src-main/core/metrics/pixel-error';
import { LSP_TORSO_PAIRS, torsoDiameter, torsoPairsFor, type Joints } from '../../src-main/core/pose/pose-joints';
import { evaluatePoses } from '../../src-main/core/metrics/evaluate-poses';
import { COCO17, LSP14 } from '../../src-shared/domain/skeleton';

const copy = (joints: Joints): Joints => joints.map((j) => [...j] as [number, number, number]);
const close = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

// A: all 14 joints visible; torso = left shoulder (0,0) to right hip (30,40) = 50 px (LSP's pair).
const truthA: Joints = Array.from({ length: 14 }, (_, j) => [j * 10, 100, 2]);
truthA[9] = [0, 0, 2];
truthA[2] = [30, 40, 2];
const predA = copy(truthA);
predA[0][0] += 5; // 5 px off: exactly 0.1 × 50, a miss at 0.1 (strict <)
predA[1][1] += 10; // exactly 0.2 × 50: a miss at 0.2 (strict <)
predA[2][0] += 10.5; // just over
predA[4] = [NaN, NaN, 0]; // no prediction

// B: left shoulder not labeled, so the torso is right shoulder (0,0) to left hip (0,100) = 100 px;
// joint 5 occluded and 15 px off; joint 6 not labeled.
const truthB: Joints = Array.from({ length: 14 }, (_, j) => [j * 10, 200, 2]);
truthB[9] = [0, 0, 0];
truthB[8] = [0, 0, 2];
truthB[3] = [0, 100, 2];
truthB[5] = [50, 200, 1];
truthB[6] = [60, 200, 0];
const predB = copy(truthB);
predB[5] = [59, 212, 2];
predB[6] = [999, 999, 2];
predB[9] = [999, 999, 2];

// C: no torso reference at all: skipped, however bad its predictions.
const truthC: Joints = Array.from({ length: 14 }, (_, j) => [j, j, [2, 3, 8, 9].includes(j) ? 0 : 2]);
const predC: Joints = truthC.map(() => [500, 500, 2]);

const pred = [predA, predB, predC];
const truth = [truthA, truthB, truthC];

test('torso diameter: left shoulder to right hip (LSP), else right shoulder to left hip, else none', () => {
  assert.equal(torsoDiameter(truthA), 50);
  assert.equal(torsoDiameter(truthB), 100);
  assert.equal(torsoDiameter(truthC), null);
  assert.deepEqual(torsoPairsFor(LSP14), LSP_TORSO_PAIRS);
  assert.deepEqual(torsoPairsFor(COCO17), [
    [5, 12],
    [6, 11],
  ]);
});

test('PCK@0.2 per joint and pooled, with occluded joints counted or not', () => {
  const withOccluded = pck(pred, truth);
  assert.equal(withOccluded.alpha, 0.2);
  assert.equal(withOccluded.skipped, 1);
  close(withOccluded.mean, 23 / 26);
  assert.deepEqual(withOccluded.perJoint, [1, 0.5, 0.5, 1, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(withOccluded.counted, [2, 2, 2, 2, 2, 2, 1, 2, 2, 1, 2, 2, 2, 2]);

  const visibleOnly = pck(pred, truth, { countOccluded: false });
  close(visibleOnly.mean, 22 / 25);
  assert.equal(visibleOnly.counted[5], 1);
  assert.equal(visibleOnly.perJoint[5], 1);

  const nothingCounted = pck([predC], [truthC]);
  assert.equal(nothingCounted.mean, null);
  assert.ok(nothingCounted.perJoint.every((v) => v === null));
});

test('PDJ at several fractions of the torso diameter', () => {
  const curve = pdj(pred, truth, [0.1, 0.2, 0.3]);
  assert.deepEqual(curve.fractions, [0.1, 0.2, 0.3]);
  close(curve.rates[0].mean, 21 / 26);
  close(curve.rates[1].mean, 23 / 26);
  close(curve.rates[2].mean, 25 / 26);
  assert.deepEqual(
    curve.rates.map((r) => r.perJoint[2]),
    [0.5, 0.5, 1],
  ); // B's is exact; A's 10.5 px counts from 0.3 on
  assert.deepEqual(
    curve.rates.map((r) => r.perJoint[4]),
    [0.5, 0.5, 0.5],
  );
});

test('mean pixel error over labeled joints; a missing prediction is an infinite error', () => {
  const predNoMiss = copy(predA);
  predNoMiss[4] = [...truthA[4]];
  const error = meanPixelError([predNoMiss], [truthA]);
  close(error.mean, 25.5 / 14);
  assert.deepEqual(error.perJoint.slice(0, 3), [5, 10, 10.5]);

  const withMiss = meanPixelError([predA], [truthA]);
  assert.equal(withMiss.perJoint[4], Infinity);
  assert.equal(withMiss.mean, Infinity);

  const unlabeled = meanPixelError([predB], [truthB]);
  assert.equal(unlabeled.perJoint[6], null);
  assert.equal(unlabeled.perJoint[9], null);
  close(unlabeled.perJoint[5], 15);
  close(meanPixelError([predB], [truthB], { countOccluded: false }).mean, 0);
});

test("PCP on LSP's ten limbs: both ends within half the limb's length", () => {
  const body: Joints = [
    [40, 200, 2],
    [40, 160, 2],
    [40, 120, 2],
    [60, 120, 2],
    [60, 160, 2],
    [60, 200, 2],
    [10, 120, 2],
    [20, 90, 2],
    [35, 60, 2],
    [65, 60, 2],
    [80, 90, 2],
    [90, 120, 2],
    [50, 55, 0],
    [50, 25, 2],
  ];
  const first = copy(body);
  first[1][0] += 19; // knee within 20 px (half of 40)...
  first[0][1] += 21; // ...but the ankle is not: right lower leg wrong, right upper leg right.
  const secondTruth = copy(body);
  secondTruth[11][2] = 1; // left wrist occluded...
  const second = copy(body);
  second[11] = [190, 120, 2]; // ...and 100 px off.

  const result = pcp([first, second], [body, secondTruth]);
  const byName = Object.fromEntries(result.perLimb.map((l) => [l.name, l]));
  assert.equal(result.perLimb.length, 10);
  assert.deepEqual(byName.head, { name: 'head', value: null, counted: 0 });
  assert.equal(byName['right lower leg'].value, 0.5);
  assert.equal(byName['right upper leg'].value, 1);
  assert.equal(byName['left lower arm'].value, 0.5);
  assert.equal(byName.torso.value, 1);
  close(result.mean, 16 / 18);

  const visibleOnly = pcp([first, second], [body, secondTruth], { countOccluded: false });
  assert.equal(visibleOnly.perLimb.find((l) => l.name === 'left lower arm')?.counted, 1);
  close(visibleOnly.mean, 16 / 17);
});

test('evaluatePoses gathers every metric with the same counting rule', () => {
  const report = evaluatePoses(pred, truth, { countOccluded: false, fractions: [0.2] });
  assert.equal(report.examples, 3);
  assert.equal(report.countOccluded, false);
  close(report.pck.mean, 22 / 25);
  close(report.pdj.rates[0].mean, 22 / 25);
  assert.equal(report.meanPixelError.mean, Infinity);
  assert.throws(() => evaluatePoses([predA], truth), /1 predictions for 3 examples/);
});
