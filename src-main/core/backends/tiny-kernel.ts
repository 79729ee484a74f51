// The "tiny kernel" of every GPU probe: a backend that loads but computes wrong, or cannot
// compile a shader, is not available.
import * as tf from '@tensorflow/tfjs';

const N = 32;

/** A 32×32 matmul on the active backend, checked against plain JavaScript to 1e-4. */
export async function checkTinyKernel(): Promise<void> {
  const a = Float32Array.from({ length: N * N }, (_, i) => ((i * 37) % 17) / 17 - 0.5);
  const b = Float32Array.from({ length: N * N }, (_, i) => ((i * 11) % 13) / 13 - 0.5);
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [N, N]), tf.tensor2d(b, [N, N])));
  const got = await product.data();
  product.dispose();
  let worst = 0;
  for (let r = 0; r < N; r++) {
    for (let c = 0; c < N; c++) {
      let want = 0;
      for (let k = 0; k < N; k++) want += a[r * N + k] * b[k * N + c];
      worst = Math.max(worst, Math.abs(got[r * N + c] - want) / Math.max(1, Math.abs(want)));
    }
  }
  if (!(worst < 1e-4))
    throw new Error(`its ${tf.getBackend()} backend computed a test matmul wrong (relative error ${worst})`);
}
