import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Prediction, PredictionMetrics } from '../../src-shared/api/predictions.contract';
import { NO_PROXIES } from '../../src-shared/domain/confidence';
import {
  errorBand,
  filterPredictions,
  isFiltering,
  NO_FILTER,
} from '../../src-renderer/src/lib/predictions/results-filter';
import {
  formatDoubt,
  formatPercent,
  formatPx,
  jointErrorRows,
  jointMetricRows,
  meanOfJointErrors,
  pckCurveColumns,
} from '../../src-renderer/src/lib/predictions/metrics-rows';
import { PagedLoader } from '../../src-renderer/src/lib/predictions/paged-loader';
import { ThroughputMeter } from '../../src-renderer/src/lib/predictions/throughput';

function prediction(id: number, fileName: string, extra: Partial<Prediction> = {}): Prediction {
  return {
    id,
    imagePath: `/data/${fileName}`,
    fileName,
    imageId: null,
    width: 200,
    height: 100,
    joints: [
      [10, 10],
      [20, 20],
    ],
    truth: null,
    errorPx: null,
    perJointErrorPx: null,
    accepted: false,
    confidence: NO_PROXIES,
    ...extra,
  };
}

const labeledBad = prediction(1, 'b-bad.png', {
  truth: [
    [0, 0, 2],
    [0, 0, 0],
  ],
  errorPx: 30,
  perJointErrorPx: [30, null],
  imageId: 5,
});
const labeledGood = prediction(2, 'a-good.png', {
  truth: [
    [10, 11, 2],
    [20, 20, 2],
  ],
  errorPx: 0.5,
  perJointErrorPx: [1, 0],
  imageId: 6,
});
const unlabeled = prediction(3, 'c-new.png');
const accepted = prediction(4, 'd-done.png', { accepted: true, imageId: 9 });
const all = [labeledBad, labeledGood, unlabeled, accepted];

test('the filter keeps the server order and narrows by label, acceptance, error and name', () => {
  assert.equal(isFiltering(NO_FILTER), false);
  assert.deepEqual(
    filterPredictions(all, NO_FILTER).map((p) => p.id),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    filterPredictions(all, { ...NO_FILTER, show: 'labeled' }).map((p) => p.id),
    [1, 2],
  );
  assert.deepEqual(
    filterPredictions(all, { ...NO_FILTER, show: 'unlabeled' }).map((p) => p.id),
    [3, 4],
  );
  assert.deepEqual(
    filterPredictions(all, { ...NO_FILTER, show: 'accepted' }).map((p) => p.id),
    [4],
  );
  assert.deepEqual(
    filterPredictions(all, { ...NO_FILTER, show: 'not-accepted' }).map((p) => p.id),
    [1, 2, 3],
  );
  assert.deepEqual(
    filterPredictions(all, { ...NO_FILTER, minErrorPx: 10 }).map((p) => p.id),
    [1],
    'an error floor leaves out unlabeled images',
  );
  assert.deepEqual(
    filterPredictions(all, { ...NO_FILTER, search: ' GOOD ' }).map((p) => p.id),
    [2],
  );
});

test('error bands are relative to the image size', () => {
  assert.equal(errorBand(unlabeled), null);
  assert.equal(errorBand(labeledGood), 'good');
  assert.equal(errorBand({ errorPx: 15, width: 200, height: 100 }), 'fair');
  assert.equal(errorBand(labeledBad), 'poor');
  assert.equal(errorBand({ errorPx: 30, width: 1000, height: 800 }), 'good');
});

test('per-joint rows show the label only where the joint is labeled', () => {
  const rows = jointErrorRows(labeledBad, ['head', 'neck']);
  assert.deepEqual(rows[0], {
    joint: 0,
    name: 'head',
    predicted: [10, 10],
    label: [0, 0, 2],
    errorPx: 30,
    doubt: null,
  });
  assert.deepEqual(rows[1], { joint: 1, name: 'neck', predicted: [20, 20], label: null, errorPx: null, doubt: null });
  assert.deepEqual(
    jointErrorRows(unlabeled, ['head', 'neck']).map((r) => r.label),
    [null, null],
  );
  // Each joint's doubt: the flip disagreement, else the last correction.
  const doubtful = prediction(7, 'e.png', {
    confidence: { ...NO_PROXIES, correctionPerJoint: [0.01, 0.02], flipPerJoint: [0.05, 0.1], flip: 0.075 },
  });
  assert.deepEqual(
    jointErrorRows(doubtful, ['head', 'neck']).map((r) => r.doubt),
    [0.05, 0.1],
  );
  assert.equal(formatDoubt(0.0412), '4.1%');
  assert.equal(formatDoubt(null), '—');
});

test('metrics become per-joint rows and a PCK curve in percent, sorted by threshold', () => {
  const metrics: PredictionMetrics = {
    labeled: 2,
    pckMean: 0.5,
    pckPerJoint: [0.25, 0.75],
    pcpPerLimb: [{ limb: 'head-neck', pcp: 0.5 }],
    meanPixelErrorPerJoint: [4, null],
    baselinePckMean: 0.1,
    baselinePckPerJoint: [0.1, null],
    baselinePixelErrorPerJoint: [12, 20],
    curve: [
      { threshold: 0.2, pck: 0.5, baseline: 0.1 },
      { threshold: 0.1, pck: 0.25, baseline: null },
    ],
  };
  const rows = jointMetricRows(metrics, ['head', 'neck']);
  assert.deepEqual(rows, [
    { joint: 0, name: 'head', pck: 0.25, meanErrorPx: 4, baselinePck: 0.1, baselineErrorPx: 12 },
    { joint: 1, name: 'neck', pck: 0.75, meanErrorPx: null, baselinePck: null, baselineErrorPx: 20 },
  ]);
  assert.equal(meanOfJointErrors(rows), 4);
  assert.equal(meanOfJointErrors(rows, 'baselineErrorPx'), 16);
  assert.equal(meanOfJointErrors([]), null);
  assert.deepEqual(pckCurveColumns(metrics.curve), [
    [0.1, 0.2],
    [25, 50],
    [null, 10],
  ]);
  assert.equal(formatPx(3.14159), '3.1 px');
  assert.equal(formatPx(null), '—');
  assert.equal(formatPercent(0.1234), '12.3%');
});

test('the loader hands over each page as it arrives and stops when a newer load starts', async () => {
  const data = Array.from({ length: 5 }, (_, i) => i);
  const loader = new PagedLoader<number>(2);
  const seen: Array<[number[], number]> = [];
  const done = await loader.load(
    async (offset, limit) => ({ total: data.length, items: data.slice(offset, offset + limit) }),
    (items, total) => seen.push([items, total]),
  );
  assert.equal(done, true);
  assert.deepEqual(seen, [
    [[0, 1], 5],
    [[0, 1, 2, 3], 5],
    [[0, 1, 2, 3, 4], 5],
  ]);

  let release: () => void = () => undefined;
  const slow = loader.load(
    (offset, limit) =>
      new Promise((resolve) => (release = () => resolve({ total: 5, items: data.slice(offset, offset + limit) }))),
    () => assert.fail('a superseded load hands nothing over'),
  );
  const fresh = loader.load(
    async () => ({ total: 0, items: [] }),
    (items, total) => assert.deepEqual([items, total], [[], 0]),
  );
  release();
  assert.equal(await slow, false);
  assert.equal(await fresh, true);
});

test('throughput is the rate over the recent window and starts over when progress goes back', () => {
  const meter = new ThroughputMeter(5000);
  assert.equal(meter.rate(), null);
  meter.add(0, 0);
  assert.equal(meter.rate(), null);
  meter.add(1000, 10);
  assert.equal(meter.rate(), 10);
  meter.add(2000, 10);
  assert.equal(meter.rate(), 10, 'an unchanged count is not a new sample');
  meter.add(10_000, 20);
  meter.add(11_000, 60);
  assert.equal(meter.rate(), 40 / 1, 'only the last window counts once it has passed');
  meter.add(12_000, 3);
  assert.equal(meter.rate(), null);
});
