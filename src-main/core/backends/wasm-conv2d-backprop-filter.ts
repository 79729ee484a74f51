// Conv2DBackpropFilter for the wasm backend, which ships without it: the input patches are
// unrolled in JS (im2col, NHWC, stored transposed) and the wasm backend's own BatchMatMul multiplies them by
// the output gradient. Rows are processed in chunks so memory stays bounded.
import * as tf from '@tensorflow/tfjs';
import { filterGradientInfo } from './filter-gradient-info';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const CHUNK_FLOATS = 8 * 1024 * 1024;

function conv2DBackpropFilter({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: unknown;
}): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy, info } = filterGradientInfo('wasm', inputs, attrs);
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
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  const rowsPerImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.floor(CHUNK_FLOATS / (rowsPerImage * k)));
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (!matMul) throw new Error("Conv2DBackpropFilter (wasm): the wasm backend has no 'BatchMatMul' kernel");
  const result = new Float32Array(k * outChannels);

  for (let b0 = 0; b0 < batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - b0);
    const rows = images * rowsPerImage;
    // Patches laid out as [k, rows]: the wasm matmul is several times slower with transposeA.
    const cols = wasm.makeOutput([1, k, rows], 'float32');
    const dyChunk = wasm.makeOutput([1, rows, outChannels], 'float32');
    // Views are taken after every allocation: growing the heap detaches older views.
    const xv = wasm.typedArrayFromHeap(x) as Float32Array;
    const dyv = wasm.typedArrayFromHeap(dy) as Float32Array;
    const colv = wasm.typedArrayFromHeap(cols) as Float32Array;
    (wasm.typedArrayFromHeap(dyChunk) as Float32Array).set(
      dyv.subarray(b0 * rowsPerImage * outChannels, (b0 + images) * rowsPerImage * outChannels),
    );
    for (let fy = 0; fy < filterHeight; fy++) {
      for (let fx = 0; fx < filterWidth; fx++) {
        for (let ci = 0; ci < inChannels; ci++) {
          let c = ((fy * filterWidth + fx) * inChannels + ci) * rows;
          for (let b = b0; b < b0 + images; b++) {
            for (let oy = 0; oy < outHeight; oy++) {
              const iy = oy * strideHeight + fy - padTop;
              const rowInside = iy >= 0 && iy < inHeight;
              const s = (b * inHeight + iy) * inWidth * inChannels + ci;
              for (let ox = 0; ox < outWidth; ox++, c++) {
                const ix = ox * strideWidth + fx - padLeft;
                colv[c] = rowInside && ix >= 0 && ix < inWidth ? xv[s + ix * inChannels] : 0;
              }
            }
          }
        }
      }
    }
    const product = matMul.kernelFunc({
      inputs: { a: cols, b: dyChunk },
      backend: wasm,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    const pv = wasm.typedArrayFromHeap(product) as Float32Array;
    for (let i = 0; i < result.length; i++) result[i] += pv[i];
    wasm.disposeData(product.dataId);
    wasm.disposeData(cols.dataId);
    wasm.disposeData(dyChunk.dataId);
  }
  return wasm.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32', undefined, result);
}

let registered = false;

export function registerWasmConv2DBackpropFilter(): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilter as tf.KernelFunc,
  });
  registered = true;
}
