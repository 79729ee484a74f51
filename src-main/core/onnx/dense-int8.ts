// A dense layer's weights as 8-bit codes for ONNX Runtime's MatMulNBits (com.microsoft):
// along each output's input weights, blocks of 32 share one scale (the block's largest
// magnitude ÷ 127), each weight rounded to the nearest of 255 levels around zero
// (code = round(w / scale) + 128, zero point 128). At batch 1 the fully connected layers
// are bound by reading their weights (218 MB per picture on the reference AlexNet), so a
// quarter of the bytes is what makes prediction faster; the cost is measured in README.
export const INT8_BLOCK = 32;
const ZERO = 128;

export interface Int8Dense {
  /** [out, blocks, 32] codes; a last partial block is padded with zero codes. */
  codes: { dims: number[]; data: Uint8Array };
  scales: { dims: number[]; data: Float32Array };
  zeroPoints: { dims: number[]; data: Uint8Array };
}

/** Quantises a tfjs [in, out] kernel. */
export function quantizeDense(shape: number[], data: Float32Array): Int8Dense {
  const [inputs, outputs] = shape;
  const blocks = Math.ceil(inputs / INT8_BLOCK);
  const codes = new Uint8Array(outputs * blocks * INT8_BLOCK).fill(ZERO);
  const scales = new Float32Array(outputs * blocks);
  for (let o = 0; o < outputs; o++) {
    for (let b = 0; b < blocks; b++) {
      const from = b * INT8_BLOCK;
      const to = Math.min(inputs, from + INT8_BLOCK);
      let largest = 0;
      for (let i = from; i < to; i++) largest = Math.max(largest, Math.abs(data[i * outputs + o]));
      const scale = largest > 0 ? largest / 127 : 1;
      scales[o * blocks + b] = scale;
      const row = (o * blocks + b) * INT8_BLOCK;
      for (let i = from; i < to; i++)
        codes[row + i - from] = ZERO + Math.max(-127, Math.min(127, Math.round(data[i * outputs + o] / scale)));
    }
  }
  return {
    codes: { dims: [outputs, blocks, INT8_BLOCK], data: codes },
    scales: { dims: [outputs, blocks], data: scales },
    zeroPoints: { dims: [outputs, blocks], data: new Uint8Array(outputs * blocks).fill(ZERO) },
  };
}
