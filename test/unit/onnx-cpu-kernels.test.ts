import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  ONNX_CPU_BACKEND,
  registerOnnxCpuBackend,
  tryRegisterOnnxCpuBackend,
  useOnnxCpuBackend,
} from '../../src-main/core/backends/onnx-cpu/register-onnx-cpu-backend';

// Every overriding kernel is run on 'onnx-cpu' and on the plain 'cpu' backend from the same
// inputs; the results must agree to float32 rounding of differently ordered sums.

before(() => {
  const registered = tryRegisterOnnxCpuBackend();
  assert.ok(registered.ok, registered.ok ? '' : registered.reason);
});

/** Deterministic pseudo-random values in [-1, 1). */
function values(size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: size }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

type Shaped = { shape: number[]; seed: number };

/** Runs `compute` on both backends with the same inputs and returns the flattened outputs. */
async function onBoth(inputs: Shaped[], compute: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<Float32Array[][]> {
  const results: Float32Array[][] = [];
  for (const backend of ['cpu', ONNX_CPU_BACKEND]) {
    await tf.setBackend(backend);
    results.push(
      tf
        .tidy(() =>
          compute(
            ...inputs.map((i) =>
              tf.tensor(
                values(
                  i.shape.reduce((a, b) => a * b, 1),
                  i.seed,
                ),
                i.shape,
              ),
            ),
          ),
        )
        .map((t) => t.dataSync() as Float32Array),
    );
  }
  return results;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= 1e-4 * scale, `${what}: max abs difference ${worst} (scale ${scale})`);
}

async function assertSame(what: string, inputs: Shaped[], compute: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<void> {
  const [cpu, onnx] = await onBoth(inputs, compute);
  assert.equal(tf.getBackend(), ONNX_CPU_BACKEND);
  cpu.forEach((expected, i) => assertClose(onnx[i], expected, `${what} output ${i}`));
}

// inC 32 takes the wide-input gradient path (strided slices), inC 3 the im2col one.
const convCases: Array<{
  k: number;
  stride: number;
  pad: 'valid' | 'same';
  size: number;
  batch: number;
  inC?: number;
}> = [
  { k: 11, stride: 4, pad: 'valid', size: 27, batch: 1 },
  { k: 11, stride: 4, pad: 'same', size: 25, batch: 2 },
  { k: 5, stride: 1, pad: 'same', size: 9, batch: 32 },
  { k: 5, stride: 1, pad: 'same', size: 9, batch: 32, inC: 32 },
  { k: 5, stride: 2, pad: 'valid', size: 12, batch: 1 },
  { k: 3, stride: 1, pad: 'same', size: 7, batch: 32 },
  { k: 3, stride: 1, pad: 'valid', size: 6, batch: 32, inC: 32 },
  { k: 5, stride: 1, pad: 'valid', size: 9, batch: 1 },
  { k: 3, stride: 2, pad: 'same', size: 8, batch: 1, inC: 32 },
  { k: 11, stride: 4, pad: 'same', size: 21, batch: 1, inC: 32 },
  { k: 3, stride: 2, pad: 'valid', size: 8, batch: 3 },
];

for (const c of convCases) {
  test(`conv2d ${c.k}x${c.k} stride ${c.stride} ${c.pad} batch ${c.batch} in ${c.inC ?? 3}: forward, dx and dw match cpu`, async () => {
    const [inC, outC] = [c.inC ?? 3, 4];
    const x = { shape: [c.batch, c.size, c.size, inC], seed: 1 };
    const w = { shape: [c.k, c.k, inC, outC], seed: 2 };
    await assertSame(`conv ${JSON.stringify(c)}`, [x, w], (xt, wt) => {
      const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
      const y = conv(xt, wt);
      // A fixed non-uniform upstream gradient so every dy element matters.
      const weights = tf.tensor(values(y.size, 3), y.shape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(weights).sum())([xt, wt]);
      return [y, dx, dw];
    });
  });
}

test('fused conv2d with bias and relu matches cpu, forward and gradients', async () => {
  const x = { shape: [2, 9, 9, 3], seed: 4 };
  const w = { shape: [3, 3, 3, 5], seed: 5 };
  const b = { shape: [5], seed: 6 };
  await assertSame('fused conv', [x, w, b], (xt, wt, bt) => {
    const f = (a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) =>
      tf.fused.conv2d({
        x: a as tf.Tensor4D,
        filter: k as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias,
        activation: 'relu',
      });
    return [
      f(xt, wt, bt),
      ...tf.grads((a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) => f(a, k, bias).square().sum())([xt, wt, bt]),
    ];
  });
});

for (const [transposeA, transposeB] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]) {
  test(`matMul transposeA=${transposeA} transposeB=${transposeB}, 2-D and batched, matches cpu`, async () => {
    const a = { shape: transposeA ? [6, 5] : [5, 6], seed: 7 };
    const b = { shape: transposeB ? [4, 6] : [6, 4], seed: 8 };
    const a3 = { shape: transposeA ? [3, 6, 5] : [3, 5, 6], seed: 9 };
    const b3 = { shape: transposeB ? [3, 4, 6] : [3, 6, 4], seed: 10 };
    await assertSame('matMul', [a, b, a3, b3], (at, bt, a3t, b3t) => [
      tf.matMul(at, bt, transposeA, transposeB),
      tf.matMul(a3t, b3t, transposeA, transposeB),
    ]);
  });
}

test('fused matMul with bias and relu matches cpu, forward and gradients', async () => {
  await assertSame(
    'fused matMul',
    [
      { shape: [32, 20], seed: 11 },
      { shape: [20, 7], seed: 12 },
      { shape: [7], seed: 13 },
    ],
    (a, b, bias) => {
      const f = (x: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
        tf.fused.matMul({ a: x as tf.Tensor2D, b: k as tf.Tensor2D, bias: c, activation: 'relu' });
      return [
        f(a, b, bias),
        ...tf.grads((x: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => f(x, k, c).square().sum())([a, b, bias]),
      ];
    },
  );
});

for (const pad of ['valid', 'same'] as const) {
  test(`maxPool 3/2 ${pad} gradient matches cpu at batch 1 and 32`, async () => {
    for (const batch of [1, 32]) {
      await assertSame(`maxPool ${pad} batch ${batch}`, [{ shape: [batch, 9, 8, 5], seed: 14 }], (x) => {
        const f = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 3, 2, pad);
        const y = f(x);
        const weights = tf.tensor(values(y.size, 15), y.shape);
        return [y, tf.grad((a: tf.Tensor) => f(a).mul(weights).sum())(x)];
      });
    }
  });
}

test('a tiny conv net trained one step on onnx-cpu gets the same variable gradients as on cpu', async () => {
  const net = (x: tf.Tensor, w1: tf.Variable, w2: tf.Variable, wd: tf.Variable) => {
    const h = tf.maxPool(
      tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Variable<tf.Rank.R4>, 2, 'valid')),
      3,
      2,
      'valid',
    );
    const h2 = tf.relu(tf.conv2d(h, w2 as tf.Variable<tf.Rank.R4>, 1, 'same'));
    return tf.matMul(h2.reshape([x.shape[0], -1]), wd);
  };
  await assertSame(
    'tiny net',
    [
      { shape: [32, 15, 15, 3], seed: 16 },
      { shape: [32, 2], seed: 17 },
    ],
    (x, target) => {
      const w1 = tf.variable(tf.tensor(values(5 * 5 * 3 * 6, 18), [5, 5, 3, 6]).mul(0.3));
      const w2 = tf.variable(tf.tensor(values(3 * 3 * 6 * 4, 19), [3, 3, 6, 4]).mul(0.3));
      const wd = tf.variable(tf.tensor(values(2 * 2 * 4 * 2, 20), [16, 2]).mul(0.3));
      const { value, grads } = tf.variableGrads(
        () => tf.losses.meanSquaredError(target, net(x, w1, w2, wd)) as tf.Scalar,
        [w1, w2, wd],
      );
      const out = [value, grads[w1.name], grads[w2.name], grads[wd.name]];
      const kept = out.map((t) => t.clone());
      [w1, w2, wd].forEach((v) => v.dispose());
      return kept;
    },
  );
});

test('large element-wise ops, with broadcasting, and sums over axes match cpu', async () => {
  // 40 000 elements: above the size where the backend hands element-wise work to ONNX.
  const big = { shape: [25, 40, 40], seed: 21 };
  const row = { shape: [40], seed: 22 };
  const scalar = { shape: [], seed: 23 };
  await assertSame('element-wise', [big, row, scalar, { shape: [25, 40, 40], seed: 24 }], (a, r, s, b) => [
    tf.add(a, b),
    tf.sub(a, r),
    tf.mul(a, s),
    tf.div(a, b.abs().add(0.5)),
    tf.sum(a, [0, 1]),
    tf.sum(a, -1, true),
    tf.sum(a),
    tf.relu(a),
    tf.step(a, 0.25),
  ]);
});

test('step keeps NaN and maps the rest to 1 or alpha, as on cpu', async () => {
  await tf.setBackend(ONNX_CPU_BACKEND);
  assert.deepEqual(Array.from(tf.step(tf.tensor([NaN, -1, 0, 2]), 0.5).dataSync()), [NaN, 0.5, 0.5, 1]);
});

test('the engine-facing entry points register once and select onnx-cpu', async () => {
  assert.equal(await registerOnnxCpuBackend(), true);
  await tf.setBackend('cpu');
  await useOnnxCpuBackend();
  assert.equal(tf.getBackend(), ONNX_CPU_BACKEND);
  assert.equal(
    tf.getKernel('Conv2D', ONNX_CPU_BACKEND)?.kernelFunc === tf.getKernel('Conv2D', 'cpu')?.kernelFunc,
    false,
  );
});
