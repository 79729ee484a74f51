import * as tf from '@tensorflow/tfjs';
import { architectures } from './src-main/core/training/models/architectures';
import { buildModel, forwardTrain } from './src-main/core/training/models/build-model';
import { poseLoss } from './src-main/core/training/loss';
import { loadWasmBackend } from './src-main/core/training/backends/wasm';
const backend = process.argv[3] ?? 'cpu';
import { selectBackend } from './src-main/core/training/backends/select-backend';
await selectBackend(backend as 'cpu');
const arch = architectures[process.argv[2] as 'alexnet-tiny'];
const model = buildModel(arch, 14, 1);
const opt = tf.train.momentum(0.01, 0.9);
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const B = Number(process.argv[4] ?? 8);
const x = tf.randomUniform([B, arch.inputSize, arch.inputSize, 3]) as tf.Tensor4D;
const t = tf.randomUniform([B, 28]) as tf.Tensor2D; const m = tf.ones([B, 14]) as tf.Tensor2D;
for (let i = 0; i < 2; i++) {
  let t0 = performance.now();
  const y = model.predict(x) as tf.Tensor; await y.data(); y.dispose();
  const fwd = performance.now() - t0; t0 = performance.now();
  const prof = await tf.profile(async () => { const l = opt.minimize(() => poseLoss(forwardTrain(model, x, [1, 2]), t, m), true, vars)!; await l.data(); l.dispose(); });
  const step = performance.now() - t0;
  const by: Record<string, number> = {};
  for (const k of prof.kernels) by[k.name] = (by[k.name] ?? 0) + (k.kernelTimeMs as number);
  console.log(backend, 'fwd', fwd.toFixed(0), 'step', step.toFixed(0), Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k}:${v.toFixed(0)}`).join(' '));
}
