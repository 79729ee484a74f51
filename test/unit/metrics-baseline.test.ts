import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fitMeanPose,
  meanPoseBaseline,
  posesInView,
  predictMeanPose,
  viewOf,
} from '../../src-main/core/metrics/mean-pose-baseline';
import { evaluatePoses } from '../../src-main/core/metrics/evaluate-poses';
import type { Joints } from '../../src-main/core/pose/pose-joints';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-baseline-');
after(temp.cleanup);

test('the mean pose is the average of poses in their views, placed in each target view', () => {
  // Views: a 10 px square at (0, 0) and a 20 px square at (100, 100).
  const mean = fitMeanPose([
    {
      joints: [
        [2, 4, 2],
        [8, 6, 2],
      ],
      view: { x0: 0, y0: 0, side: 10 },
    },
    {
      joints: [
        [104, 108, 2],
        [116, 112, 1],
      ],
      view: { x0: 100, y0: 100, side: 20 },
    },
  ]);
  assert.deepEqual(mean, [
    [0.2, 0.4],
    [0.8, 0.6],
  ]);
  // Target view: 40 px at (10, 20).
  assert.deepEqual(predictMeanPose(mean, [{ x0: 10, y0: 20, side: 40 }]), [
    [
      [18, 36, 2],
      [42, 44, 2],
    ],
  ]);
  // A joint never labeled in training cannot be predicted: it is a miss.
  const partial = fitMeanPose([
    {
      joints: [
        [0, 0, 2],
        [10, 0, 2],
        [0, 0, 0],
      ],
      view: { x0: 0, y0: 0, side: 10 },
    },
  ]);
  assert.equal(partial[2], null);
  assert.ok(Number.isNaN(predictMeanPose(partial, [{ x0: 0, y0: 0, side: 1 }])[0][2][0]));
});

test('the baseline never looks at the target labels: its view is the box, else the whole image padded to a square', () => {
  assert.deepEqual(viewOf({ box: null, width: 200, height: 100 }), { x0: 0, y0: -50, side: 200 });
  assert.deepEqual(viewOf({ box: [40, 30, 20, 40], width: 300, height: 200 }), { x0: 30, y0: 30, side: 40 });
  const mean = fitMeanPose(posesInView([{ joints: [[50, 50, 2]], box: null, width: 100, height: 100 }]));
  // Two targets of the same size with different labels get the same prediction.
  const [a, b] = meanPoseBaseline(
    posesInView([{ joints: [[50, 50, 2]], box: null, width: 100, height: 100 }]),
    posesInView([
      { joints: [[10, 10, 2]], box: null, width: 100, height: 100 },
      { joints: [[90, 80, 2]], box: null, width: 100, height: 100 },
    ]),
  ).predictions;
  assert.deepEqual(a, b);
  assert.deepEqual(mean, [[0.5, 0.5]]);
});

test('on a sample split the fair baseline scores below one placed by the labels, and perfect poses score 1', async (t) => {
  const sample = await generateSample({ outDir: temp.dir, count: 100, seed: 21 });
  const poses = posesInView(sample.examples);
  const train = poses.slice(0, 80);
  const held = poses.slice(80);
  const { metrics } = meanPoseBaseline(train, held);
  const heldJoints: Joints[] = held.map((p) => p.joints);
  // What the old, unfair baseline did: views placed by each target's labeled joints.
  const byLabels = (joints: Joints) => {
    const xs = joints.map(([x]) => x);
    const ys = joints.map(([, y]) => y);
    const side = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    return {
      x0: (Math.min(...xs) + Math.max(...xs)) / 2 - side / 2,
      y0: (Math.min(...ys) + Math.max(...ys)) / 2 - side / 2,
      side,
    };
  };
  const unfair = meanPoseBaseline(
    train.map((p) => ({ joints: p.joints, view: byLabels(p.joints) })),
    held.map((p) => ({ joints: p.joints, view: byLabels(p.joints) })),
  ).metrics;
  const perfect = evaluatePoses(heldJoints, heldJoints);
  t.diagnostic(
    `mean-pose baseline on 80/20 of a 100-picture sample: PCK@0.2 ${metrics.pck.mean?.toFixed(3)}, error ${metrics.meanPixelError.mean?.toFixed(1)} px; placed by the labels ${unfair.pck.mean?.toFixed(3)}`,
  );
  assert.equal(perfect.pck.mean, 1);
  assert.equal(perfect.pcp.mean, 1);
  assert.ok(metrics.pck.mean !== null && metrics.pck.mean < 0.2, `baseline PCK ${metrics.pck.mean}`);
  assert.ok(
    (unfair.pck.mean ?? 0) > metrics.pck.mean + 0.1,
    'the labels are worth a lot: the fair baseline must not use them',
  );
  assert.equal(metrics.pck.skipped, 0);
});
