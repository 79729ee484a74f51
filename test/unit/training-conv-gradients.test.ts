import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { useFastCpuConv2DBackpropFilter } from '../../src-main/core/backends/cpu-conv2d-backprop-filter';
import { loadWasmBackend } from '../../src-main/core/backends/wasm';

// Convolution gradients with the project's kernels (wasm filter and input, fast cpu filter) against the cpu backend.
const cases = [
  { name: 'conv1-like: 11x11 stride 4 valid', x: [2, 35, 35, 3], f: [11, 11, 3, 8], stride: 4, pad: 'valid' as const },
  { name: '5x5 same', x: [3, 9, 9, 4], f: [5, 5, 4, 6], stride: 1, pad: 'same' as const },
  { name: '3x3 stride 2 same, odd sizes', x: [2, 8, 7, 5], f: [3, 3, 5, 7], stride: 2, pad: 'same' as const },
];

async function filterGradient(
  backend: string,
  xs: Float32Array,
  fs: Float32Array,
  c: (typeof cases)[number],
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(xs, c.x as [number, number, number, number]);
  const f = tf.tensor4d(fs, c.f as [number, number, number, number]);
  // A non-uniform upstream gradient: the loss weighs outputs by their square.
  const grad = tf.grad((w) => tf.square(tf.conv2d(x, w as tf.Tensor4D, c.stride, c.pad)).sum())(f);
  const values = (await grad.data()) as Float32Array;
  tf.dispose([x, f, grad]);
  return values;
}

function largestRelativeDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

test('the wasm and the fast cpu Conv2DBackpropFilter kernels match the stock cpu kernel', async () => {
  await loadWasmBackend();
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const inputs = cases.map((c) => ({
    c,
    xs: Float32Array.from({ length: size(c.x) }, (_, i) => Math.sin(i * 0.37)),
    fs: Float32Array.from({ length: size(c.f) }, (_, i) => Math.cos(i * 0.11) * 0.1),
  }));
  const stock = [];
  for (const { c, xs, fs } of inputs) stock.push(await filterGradient('cpu', xs, fs, c));
  const stockKernel = tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc;
  useFastCpuConv2DBackpropFilter();
  assert.notEqual(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc, stockKernel, 'the cpu kernel was replaced');
  for (const [n, { c, xs, fs }] of inputs.entries()) {
    assert.ok(
      stock[n].some((v) => Math.abs(v) > 1e-3),
      `${c.name}: gradient is not trivially zero`,
    );
    const onWasm = largestRelativeDifference(await filterGradient('wasm', xs, fs, c), stock[n]);
    assert.ok(onWasm < 1e-4, `${c.name}: wasm differs from cpu by up to ${onWasm}`);
    const onFastCpu = largestRelativeDifference(await filterGradient('cpu', xs, fs, c), stock[n]);
    assert.ok(onFastCpu < 1e-4, `${c.name}: the fast cpu kernel differs from the stock one by up to ${onFastCpu}`);
  }
});

test('input gradients on wasm (fast path for stride-1 same convolutions, stock kernel otherwise) match the cpu backend', async () => {
  await loadWasmBackend();
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  for (const c of cases) {
    const xs = Float32Array.from({ length: size(c.x) }, (_, i) => Math.sin(i * 0.21));
    const fs = Float32Array.from({ length: size(c.f) }, (_, i) => Math.cos(i * 0.17) * 0.1);
    const inputGradient = async (backend: string) => {
      await tf.setBackend(backend);
      const f = tf.tensor4d(fs, c.f as [number, number, number, number]);
      const grad = tf.grad((x) => tf.square(tf.conv2d(x as tf.Tensor4D, f, c.stride, c.pad)).sum())(
        tf.tensor4d(xs, c.x as [number, number, number, number]),
      );
      return (await grad.data()) as Float32Array;
    };
    const onCpu = await inputGradient('cpu');
    const worst = largestRelativeDifference(await inputGradient('wasm'), onCpu);
    assert.ok(worst < 1e-4, `${c.name}: wasm input gradient differs from cpu by up to ${worst}`);
  }
});
