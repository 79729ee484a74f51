// The stock cpu backend computes Conv2DBackpropFilter through per-element TensorBuffer
// reads, which makes it ~100x slower than the forward pass (seconds per step even for the
// tiny model). This replacement does the same sum over typed arrays, in the same order for
// every run, so cpu training stays deterministic.
import * as tf from '@tensorflow/tfjs';
import { filterGradientInfo } from './filter-gradient-info';

interface CpuBackend {
  data: { get(dataId: tf.DataId): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo;
}

function conv2DBackpropFilter({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: unknown;
}): tf.TensorInfo {
  const cpu = backend as CpuBackend;
  const { x, dy, info } = filterGradientInfo('cpu', inputs, attrs);
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
  } = info;
  const xv = cpu.data.get(x.dataId).values as Float32Array;
  const dyv = cpu.data.get(dy.dataId).values as Float32Array;
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const g = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight + fy - info.padInfo.top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let fx = 0; fx < filterWidth; fx++) {
            const ix = ox * strideWidth + fx - info.padInfo.left;
            if (ix < 0 || ix >= inWidth) continue;
            const s = ((b * inHeight + iy) * inWidth + ix) * inChannels;
            let w = (fy * filterWidth + fx) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++, w += outChannels) {
              const xval = xv[s + ci];
              if (xval === 0) continue;
              for (let co = 0; co < outChannels; co++) dw[w + co] += xval * dyv[g + co];
            }
          }
        }
      }
    }
  }
  return cpu.makeTensorInfo([filterHeight, filterWidth, inChannels, outChannels], 'float32', dw);
}

let replaced = false;

/** Swaps the stock kernel for this one; the stock one stays available to compare against. */
export function useFastCpuConv2DBackpropFilter(): void {
  if (replaced) return;
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    kernelFunc: conv2DBackpropFilter as tf.KernelFunc,
  });
  replaced = true;
}
