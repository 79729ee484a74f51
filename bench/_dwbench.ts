import * as tf from '@tensorflow/tfjs';
import { tryRegisterOnnxCpuBackend } from '../src-main/core/training/backends/onnx-cpu/register-onnx-cpu-backend';
async function main() {
  tryRegisterOnnxCpuBackend(); await tf.setBackend(process.argv[2] ?? 'onnx-cpu');
  const layers: Array<[number, number, number, number, number, 'valid'|'same']> = [
    [227, 3, 96, 11, 4, 'valid'], [27, 96, 256, 5, 1, 'same'], [13, 256, 384, 3, 1, 'same'], [13, 384, 384, 3, 1, 'same'], [13, 384, 256, 3, 1, 'same']];
  const N = 32;
  let tot = [0, 0, 0];
  for (const [H, I, O, K, S, P] of layers) {
    const x = tf.randomUniform([N, H, H, I]) as tf.Tensor4D; const w = tf.randomUniform([K, K, I, O]) as tf.Tensor4D;
    const y = tf.conv2d(x, w, S, P); const dy = tf.randomUniform(y.shape) as tf.Tensor4D;
    const cpu = (f: () => tf.Tensor, j: number) => { f().dispose(); const c0 = process.cpuUsage(); const t=performance.now(); for (let i = 0; i < 3; i++) f().dispose(); const c = process.cpuUsage(c0); const ms = (c.user + c.system) / 3000; tot[j]+=ms; return `${ms.toFixed(0)}cpu-ms/${((performance.now()-t)/3).toFixed(0)}wall`; };
    const attrs = { strides: S, pad: P, dataFormat: 'NHWC', dimRoundingMode: undefined, dilations: 1 };
    console.log(`L ${H}x${I}->${O} k${K}s${S}: fwd ${cpu(() => tf.conv2d(x, w, S, P), 0)} | dx ${cpu(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape }) as tf.Tensor, 1)} | dw ${cpu(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }) as tf.Tensor, 2)}`);
  }
  console.log('totals cpu-ms fwd/dx/dw', tot.map(t => t.toFixed(0)).join(' / '));
}
main();
