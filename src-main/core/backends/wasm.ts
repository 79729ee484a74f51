// The wasm backend, loaded from the package's own .wasm files, plus the
// Conv2DBackpropFilter kernel it lacks (needed to train convolutions) and a faster
// Conv2DBackpropInput.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';
import { useFastWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input';

export async function loadWasmBackend(): Promise<void> {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  setWasmPaths(`${dist}/`);
  registerWasmConv2DBackpropFilter();
  useFastWasmConv2DBackpropInput();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
}
