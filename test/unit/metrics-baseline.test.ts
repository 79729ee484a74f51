import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fitMeanPose, meanPoseBaseline, predictMeanPose } from '../../src-main/core/metrics/mean-pose-baseline';
import { evaluatePoses } from '../../src-main/core/metrics/evaluate-poses';
import type { Joints } from '../../src-main/core/metrics/pose-joints';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-baseline-');
after(temp.cleanup);

test('the mean pose is the average of box-normalized poses, placed in each target box', () => {
  // Box of the first: centre (5, 0), side 10; of the second: centre (0, 10), side 20.
  const mean = fitMeanPose([
    [[0, 0, 2], [10, 0, 2]],
    [[0, 0, 2], [0, 20, 1]],
    [[7, 7, 2], [0, 0, 0]], // one labeled joint: no box, ignored
  ]);
  assert.deepEqual(mean, [[-0.25, -0.25], [0.25, 0.25]]);
  // Target box: centre (120, 100), side 40.
  assert.deepEqual(predictMeanPose(mean, [[[100, 100, 2], [140, 100, 2]]]), [[[110, 90, 2], [130, 110, 2]]]);
  // A joint never labeled in training cannot be predicted: it is a miss.
  const partial = fitMeanPose([[[0, 0, 2], [10, 0, 2], [0, 0, 0]]]);
  assert.equal(partial[2], null);
  assert.ok(Number.isNaN(predictMeanPose(partial, [[[0, 0, 2], [4, 0, 2], [2, 2, 2]]])[0][2][0]));
});

test('on a sample split the mean pose scores well above a guess at the box centre and well below perfect', async (t) => {
  const sample = await generateSample({ outDir: temp.dir, count: 100, seed: 21 });
  const poses: Joints[] = sample.examples.map((e) => e.joints);
  const train = poses.slice(0, 80);
  const held = poses.slice(80);
  const { metrics } = meanPoseBaseline(train, held);
  const centre = held.map((joints) => {
    const xs = joints.map(([x]) => x);
    const ys = joints.map(([, y]) => y);
    const c = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
    return joints.map((): [number, number, number] => [c[0], c[1], 2]);
  });
  const centreMetrics = evaluatePoses(centre, held);
  const perfect = evaluatePoses(held, held);
  t.diagnostic(`mean-pose baseline on 80/20 of a 100-picture sample: PCK@0.2 ${metrics.pck.mean?.toFixed(3)}, PCP ${metrics.pcp.mean?.toFixed(3)}, error ${metrics.meanPixelError.mean?.toFixed(1)} px; box centre PCK@0.2 ${centreMetrics.pck.mean?.toFixed(3)}`);
  assert.equal(perfect.pck.mean, 1);
  assert.equal(perfect.pcp.mean, 1);
  assert.ok(metrics.pck.mean !== null && metrics.pck.mean > 0.1 && metrics.pck.mean < 0.7, `baseline PCK ${metrics.pck.mean}`);
  assert.ok(metrics.pck.mean > (centreMetrics.pck.mean ?? 0) + 0.05);
  assert.equal(metrics.pck.skipped, 0);
});
