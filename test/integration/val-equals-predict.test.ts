// The dashboard's validation figures are figures a user gets: the Train view's validation PCK
// for a model equals what the Predict view measures running that model over the same split,
// because validation crops each image the way a prediction must (its person box, else the
// whole image), never around its labels, and runs the same cascade. For a single stage the
// loss is checked too, recomputed from the predictions in image pixels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { makeTempDir } from '../support/paths';
import { testStudio } from '../support/studio';
import { architectures, baseSize } from '../../src-main/core/pose/architectures';
import type { ValidationSample, WorkerEvent } from '../../src-shared/training/protocol';

async function trainAndPredict(t: import('node:test').TestContext, stages: number) {
  const { dir, cleanup } = makeTempDir('deeppose-val-predict-');
  const { studio, call, finish } = testStudio(join(dir, 'home'));
  t.after(async () => {
    await studio.close();
    cleanup();
  });
  const project = join(dir, 'sample');
  assert.equal(
    (await finish((await call('projects.createSample', { folder: project, count: 80, seed: 5 })).taskId)).state,
    'succeeded',
  );
  let samples: ValidationSample[] = [];
  studio.context.bus.subscribe((name, payload) => {
    const { event } = payload as { event: WorkerEvent };
    if (name === 'training.event' && event.type === 'validation') samples = event.samples;
  });
  const settings = {
    model: 'alexnet-tiny',
    optimizer: 'Adam',
    lr: 0.001,
    epochs: 3,
    stages,
    refineEpochs: 1,
    batchSize: 8,
    valEvery: 3,
    seed: 1,
  } as const;
  const { runId, taskId } = await call('training.start', { project, settings });
  assert.equal((await finish(taskId)).state, 'succeeded');
  const { run, metrics } = await call('runs.get', { project, runId });
  const val = metrics.filter((m) => m.split === 'val').at(-1)!;
  const job = await call('predict.start', { project, model: { runId, checkpoint: 'final' }, source: { split: 'val' } });
  assert.equal((await finish(job.taskId)).state, 'succeeded');
  const predicted = await call('predictions.metrics', { project, setId: job.setId });
  assert.ok(predicted, 'the val split has labels');
  const { items } = await call('predictions.list', { project, setId: job.setId, limit: 5000 });
  t.diagnostic(
    `${stages} stage(s): val PCK in the Train view ${val.pck}, in Predict ${predicted.pckMean} (${run.backend})`,
  );
  assert.ok(Math.abs(predicted.pckMean - val.pck!) <= 1e-6, `Train view ${val.pck} vs Predict ${predicted.pckMean}`);
  // The validation previews are predictions of those images: the same joints, to float precision.
  assert.ok(samples.length > 0);
  for (const sample of samples) {
    const item = items.find((p) => p.imagePath === sample.imagePath)!;
    // A cascade's later crops are placed by the estimates without rounding, so float noise between the two runtimes carries on (0.01 px).
    const tolerance = stages === 1 ? 1e-3 : 0.01;
    sample.joints.forEach(([x, y], j) => {
      const d = Math.hypot(x - item.joints[j][0], y - item.joints[j][1]);
      assert.ok(d < tolerance, `${item.fileName} joint ${j}: ${d} px`);
    });
  }
  return { val, items };
}

test("a single-stage model: validation PCK and loss in the Train view equal Predict's over the same split", async (t) => {
  const { val, items } = await trainAndPredict(t, 1);
  // Each image pixel is base / side input pixels (side: the padded whole image); targets are input pixels / input.
  const arch = architectures['alexnet-tiny'];
  let sum = 0;
  let counted = 0;
  for (const p of items) {
    assert.ok(p.truth, `${p.fileName} has labels`);
    const unit = baseSize(arch) / Math.max(p.width, p.height) / arch.inputSize;
    p.truth.forEach(([x, y, v], j) => {
      if (v === 0) return;
      sum += ((p.joints[j][0] - x) * unit) ** 2 + ((p.joints[j][1] - y) * unit) ** 2;
      counted++;
    });
  }
  const loss = sum / counted;
  assert.ok(Math.abs(loss - val.loss) <= 1e-5 * val.loss, `Train view loss ${val.loss} vs from predictions ${loss}`);
});

test("a three-stage cascade: the last stage's validation PCK in the Train view equals Predict's over the same split", async (t) => {
  const { val } = await trainAndPredict(t, 3);
  assert.equal(val.epoch, 5);
});
