// The GPU backends against the cpu backend, on whatever GPU this machine has: the forward
// pass and one training step (MomentumSGD, the reference loss, dropout as the trainer
// seeds it) of alexnet-tiny and of the reference AlexNet agree within 1e-3 relative. A
// backend that cannot run here skips with its reason. WebGPU takes a software adapter too
// (llvmpipe): slow, but it checks the same shaders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '../../src-main/core/training/tf-production-mode';
import type { BackendName, ModelName } from '../../src-shared/training/config';
import { selectBackend } from '../../src-main/core/backends/select-backend';
import { useWebgpuBackend } from '../../src-main/core/backends/webgpu';
import { useTfjsNode } from '../../src-main/core/backends/tfjs-node';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel, dropoutLayerCount } from '../../src-main/core/training/models/build-model';
import { forwardTrain } from '../../src-main/core/engines/tfjs/forward-train';
import { poseLoss } from '../../src-main/core/engines/tfjs/pose-loss';
import { FusedMomentumOptimizer } from '../../src-main/core/engines/tfjs/fused-optimizers';

const RELATIVE_TOLERANCE = 1e-3;
const JOINTS = 14;
/** Small batches: the cpu backend's reference AlexNet step takes seconds per image. */
const CASES: Array<{ model: ModelName; batch: number }> = [
  { model: 'alexnet-tiny', batch: 4 },
  { model: 'alexnet', batch: 2 },
];

/** Loads a GPU backend able to hold `model`; WebGPU on a software adapter too. */
const gpuLoaders: Partial<Record<BackendName, (model: ModelName) => Promise<{ devices: string[] }>>> = {
  'tfjs-node-gpu': () => useTfjsNode('@tensorflow/tfjs-node-gpu'),
  webgpu: (model) => useWebgpuBackend({ allowSoftware: true, model: architectures[model] }),
};

/** Each GPU backend and model with the devices found, or why it cannot run here. */
const runs: Array<{
  backend: BackendName;
  model: ModelName;
  batch: number;
  found: { devices: string[] } | { skip: string };
}> = [];
for (const [backend, load] of Object.entries(gpuLoaders) as Array<
  [BackendName, (model: ModelName) => Promise<{ devices: string[] }>]
>) {
  for (const { model, batch } of CASES) {
    try {
      runs.push({ backend, model, batch, found: await load(model) });
    } catch (error) {
      runs.push({ backend, model, batch, found: { skip: `${backend} cannot run here: ${(error as Error).message}` } });
    }
  }
}

/** Deterministic values in [lo, hi): the same inputs on every backend. */
function values(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  });
}

interface StepResult {
  forward: Float32Array;
  loss: number;
  /** Each trainable weight's change in the step, by layer and weight ('fc6/kernel'). */
  deltas: Map<string, Float32Array>;
}

/** Forward (inference) and one MomentumSGD step on the active backend, from the same seeded weights. */
async function forwardAndStep(model: ModelName, batch: number): Promise<StepResult> {
  const arch = architectures[model];
  const s = arch.inputSize;
  const net = buildModel(arch, JOINTS, 7);
  const x = tf.tensor4d(values(batch * s * s * 3, 1), [batch, s, s, 3]);
  const target = tf.tensor2d(values(batch * JOINTS * 2, 2, 0.2, 0.8), [batch, JOINTS * 2]);
  // Some joints unlabeled: the mask takes part in the gradient.
  const mask = tf.tensor2d(
    Float32Array.from({ length: batch * JOINTS }, (_, i) => (i % 5 === 3 ? 0 : 1)),
    [batch, JOINTS],
  );
  const predicted = net.predict(x) as tf.Tensor;
  const forward = (await predicted.data()) as Float32Array;
  predicted.dispose();
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  // Copies: on the cpu backend data() may hand out the storage the fused optimizer updates in place.
  const before = await Promise.all(variables.map(async (v) => ((await v.data()) as Float32Array).slice()));
  const optimizer = new FusedMomentumOptimizer(0.01, 0.9);
  const seeds = Array.from({ length: dropoutLayerCount(net) }, (_, i) => i + 1);
  const loss = optimizer.minimize(
    () => poseLoss(forwardTrain(net, x, seeds), target, mask),
    true,
    variables,
  ) as tf.Scalar;
  const lossValue = (await loss.data())[0];
  const deltas = new Map<string, Float32Array>();
  for (const [i, v] of variables.entries()) {
    const after = (await v.data()) as Float32Array;
    // Variable names carry a per-model suffix: key by the layer's own names.
    deltas.set(
      `${net.trainableWeights[i].originalName}`,
      after.map((a, j) => a - before[i][j]),
    );
  }
  tf.dispose([x, target, mask, loss]);
  optimizer.dispose();
  net.dispose();
  return { forward, loss: lossValue, deltas };
}

/** max |a − b| / max |b|: relative to the reference's scale, so near-zero entries do not blow it up. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

for (const { backend, model, batch, found } of runs) {
  const skip = 'skip' in found ? found.skip : false;
  test(
    `${backend}: ${model} forward and one training step match the cpu backend within ${RELATIVE_TOLERANCE} relative`,
    { skip },
    async (t) => {
      if ('skip' in found) return;
      t.diagnostic(`${backend} on ${found.devices.join(', ') || 'an unnamed device'}`);
      await selectBackend('cpu');
      const cpu = await forwardAndStep(model, batch);
      await gpuLoaders[backend]!(model);
      const gpu = await forwardAndStep(model, batch);
      assert.equal(tf.getBackend(), backend === 'webgpu' ? 'webgpu' : 'tensorflow');

      const errors: Array<[string, number]> = [
        ['forward', relativeError(gpu.forward, cpu.forward)],
        ['loss', Math.abs(gpu.loss - cpu.loss) / Math.abs(cpu.loss)],
        ...[...cpu.deltas].map(([name, delta]): [string, number] => [
          `update of ${name}`,
          relativeError(gpu.deltas.get(name)!, delta),
        ]),
      ];
      const worst = errors.reduce((w, e) => (e[1] > w[1] ? e : w));
      t.diagnostic(`worst relative error: ${worst[0]} ${worst[1].toExponential(2)} (loss ${cpu.loss})`);
      // The step must have moved every weight, or the comparison of updates says nothing.
      for (const [name, delta] of cpu.deltas)
        assert.ok(
          delta.some((d) => d !== 0),
          `the cpu step left ${name} unchanged`,
        );
      for (const [what, error] of errors)
        assert.ok(
          error <= RELATIVE_TOLERANCE,
          `${what}: relative error ${error.toExponential(2)} > ${RELATIVE_TOLERANCE}`,
        );
    },
  );
}
