import * as tf from '@tensorflow/tfjs';
import { tryRegisterOnnxCpuBackend } from '/work/main/src-main/core/training/backends/onnx-cpu/register-onnx-cpu-backend';
async function main() {
  tryRegisterOnnxCpuBackend(); await tf.setBackend('onnx-cpu');
  const layers: Array<[number, number, number, number, number, 'valid'|'same']> = [
    [227, 3, 96, 11, 4, 'valid'], [27, 96, 256, 5, 1, 'same'], [13, 256, 384, 3, 1, 'same'], [13, 384, 384, 3, 1, 'same'], [13, 384, 256, 3, 1, 'same']];
  const N = 32;
  for (const [H, I, O, K, S, P] of layers) {
    const x = tf.randomUniform([N, H, H, I]) as tf.Tensor4D; const w = tf.randomUniform([K, K, I, O]) as tf.Tensor4D;
    const y = tf.conv2d(x, w, S, P); const dy = tf.randomUniform(y.shape) as tf.Tensor4D;
    const flops = 2 * y.size * K * K * I / 1e9;
    const time = (f: () => tf.Tensor) => { const r: number[] = []; for (let i = 0; i < 4; i++) { const c0 = process.cpuUsage(); const t = performance.now(); f().dispose(); const c = process.cpuUsage(c0); r.push(performance.now() - t); if (i == 3) return `${Math.min(...r).toFixed(0)}ms (cpu ${((c.user + c.system) / 1000).toFixed(0)}ms) ${(flops / Math.min(...r) * 1000).toFixed(0)}GF`; } return ''; };
    console.log(`L ${H}x${I}->${O} k${K}s${S}: fwd ${time(() => tf.conv2d(x, w, S, P))} | dx ${time(() => tf.conv2dTranspose(dy, w, x.shape, S, P))} | dw ${time(() => tf.tidy(() => tf.grad((ww: tf.Tensor) => tf.conv2d(x, ww as tf.Tensor4D, S, P).mul(dy).sum())(w)))}`);
  }
}
main();
