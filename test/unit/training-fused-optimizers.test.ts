// The fused optimizers against tfjs' own, step by step, on the cpu-family backends: momentum
// bit for bit, Adam to float32 rounding; storage shared with another tensor is left alone.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { FusedAdamOptimizer, FusedMomentumOptimizer } from '../../src-main/core/engines/tfjs/fused-optimizers';
import { setLearningRate } from '../../src-main/core/training/optimizer';
import {
  ONNX_CPU_BACKEND,
  tryRegisterOnnxCpuBackend,
} from '../../src-main/core/backends/onnx-cpu/register-onnx-cpu-backend';

before(() => {
  const registered = tryRegisterOnnxCpuBackend();
  assert.ok(registered.ok, registered.ok ? '' : registered.reason);
});

const SHAPES = [[11, 11, 3, 8], [300, 200], [28]];
let unique = 0;

/** The same starting weights under fresh variable names. */
function variables(): tf.Variable[] {
  const prefix = `v${unique++}`;
  return SHAPES.map((shape, i) =>
    tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', 10 + i), true, `${prefix}/w${i}`),
  );
}

function gradients(step: number): tf.Tensor[] {
  // Seeds from 1000: a seed of 0 would mean unseeded.
  return SHAPES.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 1000 + 100 * step + i));
}

/** Runs `steps` updates of two optimizers from the same weights and gradients; answers both final weights. */
function race(
  makeReference: () => tf.Optimizer,
  makeFused: () => tf.Optimizer,
  steps: number,
  lrAt?: (step: number) => number,
): [Float32Array[], Float32Array[]] {
  const results: Float32Array[][] = [];
  for (const make of [makeReference, makeFused]) {
    const optimizer = make();
    const vars = variables();
    for (let step = 0; step < steps; step++) {
      if (lrAt) setLearningRate(optimizer, lrAt(step));
      const grads = gradients(step);
      optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
      tf.dispose(grads);
    }
    results.push(vars.map((v) => v.dataSync() as Float32Array));
    optimizer.dispose();
    tf.dispose(vars);
  }
  return [results[0], results[1]];
}

for (const backend of ['cpu', ONNX_CPU_BACKEND]) {
  test(`${backend}: fused momentum equals tfjs' momentum bit for bit, across a learning-rate change`, async () => {
    await tf.setBackend(backend);
    const [reference, fused] = race(
      () => tf.train.momentum(0.01, 0.9),
      () => new FusedMomentumOptimizer(0.01, 0.9),
      4,
      (s) => (s < 2 ? 0.01 : 0.001),
    );
    reference.forEach((r, i) => assert.deepEqual(fused[i], r, `variable ${i}`));
  });

  test(`${backend}: fused Adam follows tfjs' Adam to float32 rounding`, async () => {
    await tf.setBackend(backend);
    const [reference, fused] = race(
      () => tf.train.adam(0.001),
      () => new FusedAdamOptimizer(0.001, 0.9, 0.999),
      5,
    );
    reference.forEach((r, v) => {
      let worst = 0;
      for (let k = 0; k < r.length; k++) worst = Math.max(worst, Math.abs(fused[v][k] - r[k]));
      // After 5 steps of lr 0.001 weights move by ~5e-3; they agree far below that.
      assert.ok(worst < 1e-6, `variable ${v}: largest difference ${worst}`);
    });
  });
}

test('a variable whose storage another tensor shares is updated without touching that tensor', async () => {
  await tf.setBackend('cpu');
  const optimizer = new FusedMomentumOptimizer(0.1, 0.9);
  const w = tf.variable(tf.ones([64, 64]), true, `shared${unique++}`);
  const alias = tf.clone(w); // shares w's storage
  optimizer.applyGradients([{ name: w.name, tensor: tf.fill([64, 64], 2) }]);
  assert.deepEqual([...new Set(alias.dataSync())], [1], 'the alias keeps the old values');
  assert.deepEqual([...new Set(w.dataSync())], [Math.fround(1 + Math.fround(Math.fround(-0.1) * 2))]);
});

test('fused optimizers save the state tfjs saves, under the same names', async () => {
  await tf.setBackend('cpu');
  for (const [reference, fused] of [
    [tf.train.momentum(0.01, 0.9), new FusedMomentumOptimizer(0.01, 0.9)],
    [tf.train.adam(0.001), new FusedAdamOptimizer(0.001, 0.9, 0.999)],
  ] as const) {
    const names: string[][] = [];
    for (const optimizer of [reference, fused]) {
      const named = variables();
      const grads = gradients(0);
      optimizer.applyGradients(named.map((v, i) => ({ name: v.name, tensor: grads[i] })));
      names.push((await optimizer.getWeights()).map((w) => w.name.replace(/^v\d+\//, '')));
      assert.equal(fused.getClassName(), reference.getClassName());
      tf.dispose([...named, ...grads]);
    }
    assert.deepEqual(names[1], names[0]);
  }
});
