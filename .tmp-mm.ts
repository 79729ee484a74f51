import * as tf from '@tensorflow/tfjs';
import { loadWasmBackend } from './src-main/core/training/backends/wasm';
await loadWasmBackend();
for (const [n, k, c] of [[7200, 363, 32], [1568, 800, 64]]) {
  const a = tf.randomUniform([1, n, k]); const at = tf.randomUniform([1, k, n]); const b = tf.randomUniform([1, n, c]);
  for (let i = 0; i < 3; i++) {
    let t = performance.now(); tf.matMul(a, b, true, false).dataSync(); const t1 = performance.now() - t;
    t = performance.now(); tf.matMul(at, b, false, false).dataSync(); const t2 = performance.now() - t;
    console.log(n, k, c, 'transA', t1.toFixed(1), 'plain', t2.toFixed(1));
  }
}
