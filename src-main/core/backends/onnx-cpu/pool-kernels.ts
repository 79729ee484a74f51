// Max pooling: forward as an ONNX MaxPool (padding counts as -inf there, as in tfjs); the
// gradient as one tight NHWC loop, since the cpu kernel walks every input pixel through
// generic TensorBuffer accessors and ONNX has no pooling gradient op.
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolAttrs,
  type MaxPoolGradAttrs,
} from '@tensorflow/tfjs';
import type { OnnxGraph } from '../../onnx/onnx-model';
import { kernelSession } from './onnx-sessions';
import { allFloat32, cpuKernel, graphKey, output, valuesOf, type KernelArgs } from './kernel-support';

const cpuMaxPool = cpuKernel('MaxPool');
const maxPool: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { x } = args.inputs;
  if (!allFloat32(x)) return cpuMaxPool(kernelArgs);
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolAttrs;
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const p = info.padInfo;
  const session = kernelSession(
    graphKey('maxpool', x.shape, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, p),
    (): OnnxGraph => ({
      inputs: [{ name: 'x', shape: x.shape }],
      outputs: [{ name: 'y', shape: info.outShape }],
      nodes: [
        { op: 'Transpose', inputs: ['x'], outputs: ['xc'], attributes: { perm: [0, 3, 1, 2] } },
        {
          op: 'MaxPool',
          inputs: ['xc'],
          outputs: ['yc'],
          attributes: {
            kernel_shape: [info.filterHeight, info.filterWidth],
            strides: [info.strideHeight, info.strideWidth],
            pads: [p.top, p.left, p.bottom, p.right],
          },
        },
        { op: 'Transpose', inputs: ['yc'], outputs: ['y'], attributes: { perm: [0, 2, 3, 1] } },
      ],
    }),
  );
  return output(args, info.outShape, session.run([valuesOf(args, x)])[0]);
};

// Each window's argmax is found again and its dy added; channels innermost. Ties go to
// the first maximum, as in tfjs.

const cpuMaxPoolGrad = cpuKernel('MaxPoolGrad');
const maxPoolGrad: KernelFunc = (kernelArgs) => {
  const args = kernelArgs as unknown as KernelArgs;
  const { dy, input } = args.inputs;
  if (!allFloat32(dy, input)) return cpuMaxPoolGrad(kernelArgs);
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const x = valuesOf(args, input);
  const g = valuesOf(args, dy);
  const dx = new Float32Array(x.length);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  for (let n = 0; n < batchSize; n++) {
    const xBase = n * inHeight * inWidth * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * info.strideHeight - info.padInfo.top;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + info.filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * info.strideWidth - info.padInfo.left;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + info.filterWidth);
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let iy = yStart; iy < yEnd; iy++) {
          for (let ix = xStart; ix < xEnd; ix++) {
            const at = xBase + (iy * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[at + c];
              if (v > best[c]) {
                best[c] = v;
                bestAt[c] = at + c;
              }
            }
          }
        }
        const gAt = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) if (bestAt[c] >= 0) dx[bestAt[c]] += g[gAt + c];
      }
    }
  }
  return output(args, input.shape, dx);
};

export const poolKernels: Array<Omit<KernelConfig, 'backendName'>> = [
  { kernelName: 'MaxPool', kernelFunc: maxPool },
  { kernelName: 'MaxPoolGrad', kernelFunc: maxPoolGrad },
];
