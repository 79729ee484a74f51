// The numbers the PyTorch engine's parity test (engines/torch/tests/test_parity.py) holds
// itself to: one and two steps of the studio's CPU step (tfjs' cpu backend, the fused
// MomentumSGD / Adam, the visibility-masked loss) on weights and a batch both languages make
// from the same integer formulas, and for the reference AlexNet the dropout masks tfjs drew.
// This test recomputes them and compares with the committed fixture, so the fixture stays
// what the studio's step produces; UPDATE_TORCH_FIXTURE=1 rewrites it (and adds the reference
// AlexNet, whose pure-JS step takes a minute: DEEPPOSE_FIXTURE_ALEXNET=1).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src-main/core/backends/select-backend';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { forwardTrain } from '../../src-main/core/engines/tfjs/forward-train';
import { networkPlan } from '../../src-main/core/training/models/network-plan';
import { poseLoss } from '../../src-main/core/engines/tfjs/pose-loss';
import { createOptimizer, setLearningRate } from '../../src-main/core/training/optimizer';
import { trainingConfigSchema, type ModelName } from '../../src-shared/training/config';

const FIXTURE = join('engines', 'torch', 'tests', 'fixtures', 'studio-step.json');
const JOINTS = 14;
const SAMPLES = 64;
const SETUPS: Record<string, { batch: number; lr: { MomentumSGD: number; Adam: number } }> = {
  'alexnet-tiny': { batch: 8, lr: { MomentumSGD: 0.01, Adam: 1e-3 } },
  alexnet: { batch: 2, lr: { MomentumSGD: 0.01, Adam: 1e-4 } },
};

before(async () => {
  assert.equal((await selectBackend('cpu')).name, 'cpu');
});

/** Integer formulas, so Python computes the same float32 values (test_parity.py's twins). */
function formulaWeight(k: number, layer: number, limit: number): number {
  return ((((k * 7919 + layer * 104729) % 2001) - 1000) / 1000) * limit;
}
function formulaBatch(size: number, input: number) {
  const pixels = Float32Array.from({ length: size * input * input * 3 }, (_, k) => ((k * 7907) % 1000) / 999);
  const targets = Float32Array.from({ length: size * JOINTS * 2 }, (_, k) => 0.2 + ((k * 40503) % 601) / 1000);
  const weights = Float32Array.from({ length: size * JOINTS }, (_, k) => (k % 7 === 3 ? 0 : 1));
  return { pixels, targets, weights };
}

function setFormulaWeights(model: tf.LayersModel): void {
  model.setWeights(
    model.getWeights().map((w, layer) => {
      const shape = w.shape;
      const fanIn = shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape[0];
      const fanOut = shape.length === 4 ? shape[0] * shape[1] * shape[3] : (shape[1] ?? shape[0]);
      const limit = shape.length === 1 ? 0.05 : Math.sqrt(6 / (fanIn + fanOut));
      return tf.tensor(
        Float32Array.from({ length: w.size }, (_, k) => formulaWeight(k, layer, limit)),
        shape,
      );
    }),
  );
}

function sampled(values: Float32Array): { index: number[]; value: number[] } {
  const index = Array.from({ length: Math.min(SAMPLES, values.length) }, (_, i) =>
    Math.floor((i * values.length) / Math.min(SAMPLES, values.length)),
  );
  return { index, value: index.map((i) => values[i]) };
}

async function studioSteps(name: ModelName, optimizerName: 'MomentumSGD' | 'Adam') {
  const arch = architectures[name];
  const { batch, lr } = SETUPS[name];
  const config = trainingConfigSchema.parse({
    model: name,
    joints: JOINTS,
    optimizer: optimizerName,
    lr: lr[optimizerName],
    momentum: 0.9,
  });
  const model = buildModel(arch, JOINTS, 5);
  setFormulaWeights(model);
  const optimizer = createOptimizer(config);
  setLearningRate(optimizer, config.lr);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const before = new Map(
    model.trainableWeights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync() as Float32Array)]),
  );
  const b = formulaBatch(batch, arch.inputSize);
  const seeds = [11, 12];
  // tf.dropout's masks for these seeds, as it draws them: floor(uniform + keep) (for the Python side to apply)
  const masks =
    arch.dropout > 0
      ? [0, 1].map((d) =>
          Array.from(
            tf
              .tidy(() =>
                tf.floor(tf.add(tf.randomUniform([batch, arch.fc[d]], 0, 1, 'float32', seeds[d]), 1 - arch.dropout)),
              )
              .dataSync(),
          ).join(''),
        )
      : [];
  const losses: number[] = [];
  const after: Record<string, { index: number[]; value: number[]; updateMax: number; updateSum: number }> = {};
  for (let step = 1; step <= 2; step++) {
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(b.pixels, [batch, arch.inputSize, arch.inputSize, 3]);
      const target = tf.tensor2d(b.targets, [batch, JOINTS * 2]);
      const mask = tf.tensor2d(b.weights, [batch, JOINTS]);
      return optimizer.minimize(
        () => poseLoss(forwardTrain(model, x, seeds), target, mask),
        true,
        variables,
      ) as tf.Scalar;
    });
    losses.push(loss.dataSync()[0]);
    loss.dispose();
    if (step === 1) {
      for (const w of model.trainableWeights) {
        const now = w.read().dataSync() as Float32Array;
        const was = before.get(w.originalName)!;
        let updateMax = 0;
        let updateSum = 0;
        for (let k = 0; k < now.length; k++) {
          updateMax = Math.max(updateMax, Math.abs(now[k] - was[k]));
          updateSum += now[k] - was[k];
        }
        after[w.originalName.replace(/^.*?(conv\d|fc\d)/, '$1')] = { ...sampled(now), updateMax, updateSum };
      }
    }
  }
  optimizer.dispose();
  model.dispose();
  return { optimizer: optimizerName, lr: config.lr, batch, seeds, masks, losses, after };
}

async function fixtureFor(name: ModelName) {
  const arch = architectures[name];
  return {
    model: name,
    inputSize: arch.inputSize,
    joints: JOINTS,
    plan: networkPlan(arch, JOINTS),
    steps: [await studioSteps(name, 'MomentumSGD'), await studioSteps(name, 'Adam')],
  };
}

test("the PyTorch parity fixture is what the studio's CPU step computes (alexnet-tiny)", async () => {
  const tiny = await fixtureFor('alexnet-tiny');
  if (process.env.UPDATE_TORCH_FIXTURE === '1') {
    const models = [tiny, ...(process.env.DEEPPOSE_FIXTURE_ALEXNET === '1' ? [await fixtureFor('alexnet')] : [])];
    writeFileSync(FIXTURE, JSON.stringify({ about: 'written by test/unit/torch-step-fixture.test.ts', models }) + '\n');
  }
  assert.ok(existsSync(FIXTURE), `${FIXTURE} is missing: run this test with UPDATE_TORCH_FIXTURE=1`);
  const saved = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { models: Array<typeof tiny> }).models.find(
    (m) => m.model === 'alexnet-tiny',
  )!;
  tiny.steps.forEach((steps, i) => {
    const kept = saved.steps[i];
    steps.losses.forEach((loss, s) =>
      assert.ok(
        Math.abs(loss - kept.losses[s]) <= 1e-6 * Math.abs(loss),
        `${steps.optimizer} loss of step ${s + 1}: ${loss} now, ${kept.losses[s]} in the fixture`,
      ),
    );
    for (const [name, now] of Object.entries(steps.after)) {
      const worst = Math.max(...now.value.map((v, k) => Math.abs(v - kept.after[name].value[k])));
      assert.ok(worst <= 1e-6, `${steps.optimizer} ${name}: ${worst} from the fixture`);
    }
  });
});
