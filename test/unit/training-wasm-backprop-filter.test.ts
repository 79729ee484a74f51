import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { loadWasmBackend } from '../../src-main/core/training/backends/wasm';

// Filter gradients of conv2d on wasm (with the project's kernel) against the cpu backend.
const cases = [
  { name: 'conv1-like: 11x11 stride 4 valid', x: [2, 35, 35, 3], f: [11, 11, 3, 8], stride: 4, pad: 'valid' as const },
  { name: '5x5 same', x: [3, 9, 9, 4], f: [5, 5, 4, 6], stride: 1, pad: 'same' as const },
  { name: '3x3 stride 2 same, odd sizes', x: [2, 8, 7, 5], f: [3, 3, 5, 7], stride: 2, pad: 'same' as const },
];

async function filterGradient(backend: string, xs: Float32Array, fs: Float32Array, c: (typeof cases)[number]): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(xs, c.x as [number, number, number, number]);
  const f = tf.tensor4d(fs, c.f as [number, number, number, number]);
  // A non-uniform upstream gradient: the loss weighs outputs by their square.
  const grad = tf.grad((w: tf.Tensor4D) => tf.square(tf.conv2d(x, w, c.stride, c.pad)).sum())(f);
  const values = (await grad.data()) as Float32Array;
  tf.dispose([x, f, grad]);
  return values;
}

test('the wasm Conv2DBackpropFilter kernel matches the cpu backend', async () => {
  await loadWasmBackend();
  for (const c of cases) {
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const xs = Float32Array.from({ length: size(c.x) }, (_, i) => Math.sin(i * 0.37));
    const fs = Float32Array.from({ length: size(c.f) }, (_, i) => Math.cos(i * 0.11) * 0.1);
    const onCpu = await filterGradient('cpu', xs, fs, c);
    const onWasm = await filterGradient('wasm', xs, fs, c);
    assert.equal(onWasm.length, onCpu.length);
    let worst = 0;
    for (let i = 0; i < onCpu.length; i++) worst = Math.max(worst, Math.abs(onWasm[i] - onCpu[i]) / Math.max(1, Math.abs(onCpu[i])));
    assert.ok(worst < 1e-4, `${c.name}: largest relative difference ${worst}`);
    assert.ok(onCpu.some((v) => Math.abs(v) > 1e-3), `${c.name}: gradient is not trivially zero`);
  }
});
