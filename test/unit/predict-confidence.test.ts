// The confidence proxies' arithmetic: the mirror image and its joints mapped back, the flip
// disagreement and last correction in torso units, the rank correlation the proxies are judged
// by, and the orders the Predict view sorts with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mirrorBox, mirrorImage, mirrorJointsBack, predictMirrored } from '../../src-main/core/inference/flip-check';
import { confidenceProxies, scaledDistances } from '../../src-main/core/inference/confidence-proxies';
import { predictCascade, type CascadeRule, type StageNet } from '../../src-main/core/inference/cascade';
import { ranks, spearman } from '../../src-main/core/metrics/rank-correlation';
import { appliedSort, orderPredictions } from '../../src-main/core/predictions/prediction-order';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { doubtOf, NO_PROXIES } from '../../src-shared/domain/confidence';
import type { Prediction } from '../../src-shared/api/predictions.contract';

const WIDTH = 200;

/** An LSP pose symmetric about the picture's centre line: each left joint mirrors its right partner. */
function symmetricPose(): [number, number][] {
  const right: [number, number][] = [
    [80, 190],
    [82, 150],
    [85, 110],
    [0, 0],
    [0, 0],
    [0, 0],
    [60, 100],
    [70, 80],
    [80, 55],
  ];
  const pose: [number, number][] = Array.from({ length: 14 }, () => [0, 0]);
  for (const [r, l] of LSP14.flipPairs) {
    pose[r] = right[r];
    pose[l] = [WIDTH - right[r][0], right[r][1]];
  }
  pose[12] = [WIDTH / 2, 45];
  pose[13] = [WIDTH / 2, 15];
  return pose;
}

test('a symmetric pose answered alike on the mirror image disagrees by 0; an asymmetric one does not', () => {
  const pose = symmetricPose();
  const back = mirrorJointsBack(pose, WIDTH, LSP14.flipPairs);
  assert.deepEqual(back, pose);
  assert.ok(scaledDistances(pose, back, WIDTH).every((d) => d === 0));
  assert.equal(confidenceProxies({ joints: pose, stages: [pose], mirrored: back, viewSide: WIDTH }).flip, 0);

  // A network that ignored the mirror (same answer for both) disagrees where the pose is not symmetric.
  const leaning = pose.map(([x, y]): [number, number] => [x + 10, y]);
  const proxies = confidenceProxies({
    joints: leaning,
    stages: [leaning],
    mirrored: mirrorJointsBack(leaning, WIDTH, LSP14.flipPairs),
    viewSide: WIDTH,
  });
  for (const d of proxies.flipPerJoint!)
    assert.ok(Math.abs(d - 20 / WIDTH) < 1e-12, `every joint is 2 × 10 px off: ${d}`);
  assert.ok(Math.abs(proxies.flip! - 0.1) < 1e-12);
});

test('mirroring back is its own inverse: the mirror image of the true pose, mapped back, is the pose', () => {
  const pose: [number, number][] = symmetricPose().map(([x, y], j) => [x + 3 * j, y - j]);
  const onMirror = mirrorJointsBack(pose, WIDTH, LSP14.flipPairs);
  assert.deepEqual(mirrorJointsBack(onMirror, WIDTH, LSP14.flipPairs), pose);
  // The mirror image's right ankle is the picture's left ankle, mirrored.
  assert.deepEqual(onMirror[0], [WIDTH - pose[5][0], pose[5][1]]);
});

test('the mirror image and its person box', () => {
  const image = { width: 3, height: 2, rgb: Buffer.from([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6]) };
  assert.deepEqual([...mirrorImage(image).rgb], [3, 3, 3, 2, 2, 2, 1, 1, 1, 6, 6, 6, 5, 5, 5, 4, 4, 4]);
  assert.deepEqual(mirrorImage(mirrorImage(image)).rgb, image.rgb);
  assert.deepEqual(mirrorBox([10, 5, 30, 40], 100), [60, 5, 30, 40]);
  assert.equal(mirrorBox(null, 100), null);
});

test('through the whole cascade geometry, a network that names joints by image side disagrees by about 0', async () => {
  // Two bright squares, symmetric about the centre line; joint 0 ("left") is the one on the
  // image's right, as LSP labels a person facing the camera; the network finds each half's centroid.
  const width = 120;
  const height = 90;
  const rgb = Buffer.alloc(width * height * 3);
  for (const x0 of [30, 80])
    for (let y = 40; y < 50; y++)
      for (let x = x0; x < x0 + 10; x++) rgb.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
  const image = { width, height, rgb };
  const input = 32;
  const net: StageNet = {
    input,
    base: 36,
    async predict(pixels, count) {
      const out = new Float32Array(count * 4);
      for (let n = 0; n < count; n++) {
        const sums = [
          [0, 0, 0],
          [0, 0, 0],
        ];
        for (let y = 0; y < input; y++) {
          for (let x = 0; x < input; x++) {
            const v = pixels[n * input * input * 3 + (y * input + x) * 3];
            const side = x >= input / 2 ? 0 : 1;
            sums[side][0] += v * (x + 0.5);
            sums[side][1] += v * (y + 0.5);
            sums[side][2] += v;
          }
        }
        sums.forEach(([sx, sy, s], j) => out.set([sx / s / input, sy / s / input], n * 4 + 2 * j));
      }
      return out;
    },
  };
  const rule: CascadeRule = { cropScale: 1.5, sigma: 2, torsoPairs: [], kinds: ['whole'] };
  const viewSide = width;
  const { joints, stages } = await predictCascade(image, null, [net], rule);
  assert.ok(
    Math.abs(joints[0][0] - 85) < 1.5 && Math.abs(joints[1][0] - 35) < 1.5,
    `the network finds the squares: ${JSON.stringify(joints)}`,
  );
  const mirrored = await predictMirrored(image, null, [net], rule, [[0, 1]]);
  const { flip, flipPerJoint } = confidenceProxies({ joints, stages, mirrored, viewSide });
  assert.ok(flip! < 0.002, `flip disagreement ${flip} (per joint ${flipPerJoint})`);
});

test("the last correction is how far the last stage moved each joint, in the view's side; none for one stage", () => {
  const pose = symmetricPose();
  const before = pose.map(([x, y]): [number, number] => [x, y - 6]);
  const proxies = confidenceProxies({ joints: pose, stages: [before, before, pose], mirrored: null, viewSide: 300 });
  assert.equal(proxies.flip, null);
  assert.ok(Math.abs(proxies.correction! - 6 / 300) < 1e-12);
  assert.equal(proxies.correctionPerJoint!.length, 14);
  assert.equal(confidenceProxies({ joints: pose, stages: [pose], mirrored: null, viewSide: 300 }).correction, null);
});

test("Spearman's rank correlation, ties at their average rank", () => {
  assert.deepEqual(ranks([10, 30, 20, 20]), [1, 4, 2.5, 2.5]);
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 35, 400]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])! - 0.8) < 1e-12);
  assert.equal(spearman([1, 1, 1], [1, 2, 3]), null);
  assert.equal(spearman([1], [1]), null);
});

function prediction(id: number, extra: Partial<Prediction>): Prediction {
  return {
    id,
    imagePath: `/d/${id}.jpg`,
    fileName: `${id}.jpg`,
    imageId: null,
    width: 10,
    height: 10,
    joints: [],
    truth: null,
    errorPx: null,
    perJointErrorPx: null,
    accepted: false,
    confidence: NO_PROXIES,
    ...extra,
  };
}
const doubt = (flip: number | null, correction: number | null = null) => ({ ...NO_PROXIES, flip, correction });

test('auto order: worst error first with labels, else least confident first, else by name', () => {
  const unlabeled = [
    prediction(1, { confidence: doubt(0.1) }),
    prediction(2, { confidence: doubt(0.5) }),
    prediction(3, {}),
    prediction(4, { confidence: doubt(0.3) }),
  ];
  assert.equal(orderPredictions(unlabeled, 'auto'), 'least-confident');
  assert.deepEqual(
    unlabeled.map((p) => p.id),
    [2, 4, 1, 3],
    'highest doubt first, none last',
  );
  const labeled = [...unlabeled, prediction(5, { errorPx: 4 })];
  assert.equal(appliedSort(labeled, 'auto'), 'error');
  assert.equal(appliedSort([prediction(1, {})], 'auto'), 'name');
  assert.equal(appliedSort(labeled, 'least-confident'), 'least-confident');
  // Without the flip check the last correction is the doubt.
  assert.equal(doubtOf(doubt(null, 0.2)), 0.2);
  assert.equal(doubtOf(doubt(0.4, 0.2)), 0.4);
});
