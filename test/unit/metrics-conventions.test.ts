// The papers' conventions, pinned: PCK@0.2 of LSP's torso (left shoulder – right hip, strict <),
// PCKh@0.5 of the head segment, and one report per cascade stage with the baseline beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pck, pckh } from '../../src-main/core/metrics/detection-rate';
import { headSegmentFor, torsoDiameter, type Joints } from '../../src-main/core/pose/pose-joints';
import { poseReport } from '../../src-main/core/metrics/pose-report';
import { perJointRows } from '../../src-shared/training/pose-report';
import { COCO17, LSP14 } from '../../src-shared/domain/skeleton';

// Right shoulder (8) – left hip (3) = 50 px; left shoulder (9) – right hip (2) = 100 px.
const truth: Joints = Array.from({ length: 14 }, (_, j) => [200 + j, 300, 2]);
truth[8] = [0, 0, 2];
truth[3] = [30, 40, 2];
truth[9] = [100, 0, 2];
truth[2] = [100, 100, 2];
truth[12] = [50, -20, 2]; // neck
truth[13] = [50, -60, 2]; // head top: head segment 40 px

test("PCK's torso is LSP's pair, left shoulder to right hip, whatever else is labeled", () => {
  assert.equal(torsoDiameter(truth), 100);
});

test('PCK counts a joint strictly inside alpha × torso: exactly on the threshold is a miss', () => {
  const onThreshold = truth.map((j) => [...j] as [number, number, number]);
  onThreshold[0] = [truth[0][0] + 20, truth[0][1], 2]; // 0.2 × 100
  onThreshold[1] = [truth[1][0] + 19.99, truth[1][1], 2];
  const result = pck([onThreshold], [truth]);
  assert.equal(result.perJoint[0], 0);
  assert.equal(result.perJoint[1], 1);
});

test('PCKh@0.5 measures against the head segment (neck – head top); COCO has none', () => {
  assert.deepEqual(headSegmentFor(LSP14), [12, 13]);
  assert.equal(headSegmentFor(COCO17), null);
  const pred = truth.map((j) => [...j] as [number, number, number]);
  pred[0] = [truth[0][0] + 19, truth[0][1], 2]; // inside 0.5 × 40
  pred[1] = [truth[1][0] + 21, truth[1][1], 2]; // outside
  const result = pckh([pred], [truth], [12, 13]);
  assert.equal(result.alpha, 0.5);
  assert.equal(result.perJoint[0], 1);
  assert.equal(result.perJoint[1], 0);
});

test('a report holds every stage and the baseline, per joint, with PCKh, PCP and PDJ', () => {
  const exact = truth.map(([x, y]): [number, number] => [x, y]);
  const off = truth.map(([x, y]): [number, number] => [x + 30, y]);
  const report = poseReport({
    skeleton: LSP14,
    truth: [truth],
    stages: [[off], [exact]],
    baseline: [off.map(([x, y]) => [x, y, 2])],
  });
  assert.equal(report.convention, 'lsp');
  assert.equal(report.stages.length, 2);
  assert.equal(report.stages[0].pck, 0);
  assert.equal(report.stages[1].pck, 1);
  assert.equal(report.stages[1].pckh, 1);
  assert.equal(report.stages[1].pcp, 1);
  assert.equal(report.stages[1].pdj.length, 10);
  assert.equal(report.baseline?.pck, 0);
  const rows = perJointRows(report);
  assert.equal(rows[11].joint, 'left wrist');
  assert.deepEqual(rows[11].stages, [0, 1]);
  assert.equal(rows[11].baseline, 0);
});
