// What our convolution gradient kernels share: their attributes and, for the filter
// gradient, its inputs and the convolution geometry (NHWC only).
import * as tf from '@tensorflow/tfjs';

/** The attributes tfjs gives both convolution gradient kernels. */
export interface ConvGradientAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

interface FilterGradientAttrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

export function filterGradientInfo(backendName: string, inputs: tf.NamedTensorInfoMap, attrs: unknown) {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as FilterGradientAttrs;
  if (dataFormat !== 'NHWC')
    throw new Error(`Conv2DBackpropFilter (${backendName}): only NHWC is supported, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  return { x, dy, info };
}
