// The wasm backend's own Conv2DBackpropInput is a plain loop, the slowest kernel of a training
// step. For stride-1 'same' convolutions with odd kernels (conv2..conv5 of AlexNet) the input
// gradient is a 'same' convolution of dy with the filter rotated 180° and its channels swapped,
// which the backend's XNNPACK Conv2D computes fast. Other shapes use the stock kernel.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGradientAttrs } from './filter-gradient-info';

interface Attrs extends ConvGradientAttrs {
  inputShape: [number, number, number, number];
}

function kernel(name: string): tf.KernelFunc {
  const found = tf.getKernel(name, 'wasm');
  if (!found) throw new Error(`Conv2DBackpropInput (wasm): the wasm backend has no '${name}' kernel`);
  return found.kernelFunc;
}

function viaConv2D(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as Attrs;
    const [fh, fw] = filter.shape;
    const stride1 =
      attrs.strides === 1 || (Array.isArray(attrs.strides) && attrs.strides[0] === 1 && attrs.strides[1] === 1);
    if (!stride1 || attrs.pad !== 'same' || attrs.dataFormat !== 'NHWC' || fh % 2 === 0 || fw % 2 === 0)
      return stock(args);
    const wasm = args.backend as BackendWasm;
    const rotated = kernel('Reverse')({
      inputs: { x: filter },
      backend: wasm,
      attrs: { dims: [0, 1] },
    }) as tf.TensorInfo;
    const swapped = kernel('Transpose')({
      inputs: { x: rotated },
      backend: wasm,
      attrs: { perm: [0, 1, 3, 2] },
    }) as tf.TensorInfo;
    const dx = kernel('Conv2D')({
      inputs: { x: dy, filter: swapped },
      backend: wasm,
      attrs: {
        strides: 1,
        pad: 'same',
        dataFormat: 'NHWC',
        dilations: 1,
        ...(attrs.dimRoundingMode ? { dimRoundingMode: attrs.dimRoundingMode } : {}),
      },
    }) as tf.TensorInfo;
    wasm.disposeData(rotated.dataId);
    wasm.disposeData(swapped.dataId);
    return dx;
  };
}

let replaced = false;

export function useFastWasmConv2DBackpropInput(): void {
  if (replaced) return;
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!stock) throw new Error("the wasm backend has no 'Conv2DBackpropInput' kernel to speed up");
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: viaConv2D(stock.kernelFunc) });
  replaced = true;
}
