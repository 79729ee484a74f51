// Reference AlexNet (DeepPose) on each available tfjs backend against the PyTorch reference
// script, in one run: training images/s at batch 32 (MomentumSGD) and inference ms/image.
// Run: node --import tsx bench/onnx-vs-pytorch.ts [--runs 3] [--steps 5] [--backends onnx-cpu,wasm,cpu] [--profile]
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadWasmBackend } from '../src-main/core/training/backends/wasm';
import { tryRegisterOnnxCpuBackend } from '../src-main/core/training/backends/onnx-cpu/register-onnx-cpu-backend';
import { memoryIsRetained, withRetainedMemory } from '../src-main/core/worker/retained-memory';

// The malloc tunables act only at process start: re-run this script under them.
if (!memoryIsRetained() && !process.argv.includes('--default-malloc')) {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: withRetainedMemory() });
  process.exit(child.status ?? 1);
}

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    steps: { type: 'string', default: '5' },
    backends: { type: 'string', default: 'onnx-cpu,wasm,cpu' },
    profile: { type: 'boolean', default: false },
    'default-malloc': { type: 'boolean', default: false },
    pytorch: { type: 'string', default: '/work/shared/bench/pytorch_reference.py' },
  },
});

function alexNet(): tf.Sequential {
  const conv = (filters: number, kernelSize: number, strides: number, padding: 'valid' | 'same', inputShape?: number[]) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding, activation: 'relu', ...(inputShape ? { inputShape } : {}) });
  const pool = () => tf.layers.maxPooling2d({ poolSize: 3, strides: 2 });
  return tf.sequential({
    layers: [
      conv(96, 11, 4, 'valid', [227, 227, 3]),
      pool(),
      conv(256, 5, 1, 'same'),
      pool(),
      conv(384, 3, 1, 'same'),
      conv(384, 3, 1, 'same'),
      conv(256, 3, 1, 'same'),
      pool(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4096, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 4096, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 28 }),
    ],
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

interface Figures {
  trainImagesPerS: number;
  inferMsMean: number;
  inferMsStd: number;
}

async function measure(backend: string, trainSteps: number, inferRuns: number): Promise<Figures> {
  // The training engine's wasm loader adds the gradient kernels wasm lacks.
  if (backend === 'wasm') await loadWasmBackend();
  else await tf.setBackend(backend);
  const model = alexNet();
  const optimizer = tf.train.momentum(0.01, 0.9);
  const x = tf.randomUniform([32, 227, 227, 3]);
  const target = tf.randomUniform([32, 28]);
  const step = () =>
    optimizer.minimize(() => {
      const diff = (model.apply(x, { training: true }) as tf.Tensor).sub(target);
      return diff.square().sum().div(diff.size / 2) as tf.Scalar;
    }, false);
  const times: number[] = [];
  if (trainSteps > 0) step(); // warm-up: graph compilation, first allocations
  for (let i = 0; i < trainSteps; i++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  if (opts.profile && trainSteps > 0) {
    const info = await tf.profile(() => {
      step();
    });
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const rows = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15);
    console.log(`${backend} training step kernels (ms): ${rows.map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', ')}`);
  }
  const one = tf.randomUniform([1, 227, 227, 3]);
  const latencies: number[] = [];
  for (let i = 0; i < inferRuns + 2; i++) {
    const start = performance.now();
    tf.tidy(() => (model.predict(one) as tf.Tensor).dataSync());
    if (i >= 2) latencies.push(performance.now() - start);
  }
  if (opts.profile) {
    const info = await tf.profile(() => tf.tidy(() => (model.predict(one) as tf.Tensor).dataSync()));
    console.log(`${backend} inference kernels (ms): ${info.kernels.map((k) => `${k.name} ${(k.kernelTimeMs as number).toFixed(1)}`).join(', ')}`);
  }
  tf.dispose([x, target, one]);
  model.dispose();
  optimizer.dispose();
  return { trainImagesPerS: trainSteps > 0 ? 32 / (median(times) / 1000) : NaN, inferMsMean: mean(latencies), inferMsStd: std(latencies) };
}

/** PyTorch gets the same malloc tunables as this process unless `defaultMalloc`. */
function pytorch(defaultMalloc = false): { train_images_per_s: number; infer_ms_per_image: number } {
  const env = { ...process.env };
  if (defaultMalloc) delete env.GLIBC_TUNABLES;
  const out = execFileSync('/usr/bin/python3', [opts.pytorch!], { encoding: 'utf8', env });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  const registered = tryRegisterOnnxCpuBackend();
  if (!registered.ok) console.log(registered.reason);
  const backends = opts.backends!.split(',').filter((b) => b !== 'onnx-cpu' || registered.ok);
  const runs = Number(opts.runs);
  const results = new Map<string, Figures[]>();
  const torch: Array<{ train_images_per_s: number; infer_ms_per_image: number }> = [];
  for (let run = 0; run < runs; run++) {
    if (opts.pytorch) {
      torch.push(pytorch());
      console.log(`run ${run + 1} pytorch: ${JSON.stringify(torch[run])}`);
      if (run === 0) console.log(`run 1 pytorch with default malloc settings: ${JSON.stringify(pytorch(true))}`);
    }
    for (const backend of backends) {
      // The slow backends run once, with a single timed step (wasm) or none: one pure-JS
      // training step of this net takes tens of minutes.
      const fast = backend === 'onnx-cpu';
      if (!fast && run > 0) continue;
      const f = await measure(backend, fast ? Number(opts.steps) : backend === 'cpu' ? 0 : 1, fast ? 15 : 3);
      (results.get(backend) ?? results.set(backend, []).get(backend)!).push(f);
      console.log(
        `run ${run + 1} ${backend}: train ${f.trainImagesPerS.toFixed(2)} img/s, infer ${f.inferMsMean.toFixed(1)} ± ${f.inferMsStd.toFixed(1)} ms/img`,
      );
    }
  }
  const torchTrain = median(torch.map((t) => t.train_images_per_s));
  const torchInfer = median(torch.map((t) => t.infer_ms_per_image));
  console.log(`\nmedians over ${runs} run(s)          train img/s   infer ms/img   train vs torch   infer vs torch`);
  console.log(`pytorch (reference)              ${torchTrain.toFixed(2).padStart(8)}   ${torchInfer.toFixed(1).padStart(12)}`);
  for (const [backend, fs] of results) {
    const train = median(fs.map((f) => f.trainImagesPerS));
    const infer = median(fs.map((f) => f.inferMsMean));
    console.log(
      `${`tfjs ${backend} (${fs.length} run(s))`.padEnd(32)} ${train.toFixed(2).padStart(8)}   ${infer.toFixed(1).padStart(12)}   ${(train / torchTrain).toFixed(2).padStart(12)}x   ${(torchInfer / infer).toFixed(2).padStart(12)}x`,
    );
  }
}

await main();
