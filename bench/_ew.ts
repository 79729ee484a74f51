import * as tf from '@tensorflow/tfjs';
import { tryRegisterOnnxCpuBackend } from '../src-main/core/training/backends/onnx-cpu/register-onnx-cpu-backend';
async function main() {
  tryRegisterOnnxCpuBackend(); await tf.setBackend('onnx-cpu');
  const a = tf.randomUniform([9216, 4096]); const s = tf.scalar(0.9); const b = tf.randomUniform([9216, 4096]);
  for (let i = 0; i < 4; i++) {
    const c0 = process.cpuUsage(); let t = performance.now(); tf.mul(a, s).dispose(); const t1 = performance.now() - t;
    t = performance.now(); tf.add(a, b).dispose(); const t2 = performance.now() - t; const c = process.cpuUsage(c0);
    t = performance.now(); tf.step(a).dispose(); const t3 = performance.now() - t;
    console.log('mul scalar', t1.toFixed(1), 'add', t2.toFixed(1), 'cpu-ms both', ((c.user + c.system) / 1000).toFixed(0), 'step(js)', t3.toFixed(1));
  }
}
main();
