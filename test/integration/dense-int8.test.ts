// Prediction with the hidden dense layers as 8-bit codes (PredictRequest.denseWeights 'int8'):
// the codes decode to within half a step of each weight, the graph reads them through ONNX
// Runtime's MatMulNBits while the joint layer stays float32, its predictions stay within a
// fraction of a pixel of the float32 graph's on every studio network, and the exported ONNX
// file (export-model) is untouched by it.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ModelName } from '../../src-shared/training/config';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { quantizeDense, INT8_BLOCK } from '../../src-main/core/onnx/dense-int8';
import { modelArtifacts } from '../../src-main/core/training/models/model-files';
import { regressorOnnx } from '../../src-main/core/onnx/regressor-export';
import { loadRegressor } from '../../src-main/core/inference/regressor';
import { selectBackend } from '../../src-main/core/backends/select-backend';
before(async () => {
  assert.equal((await selectBackend('onnx-cpu')).name, 'onnx-cpu');
});

test('8-bit codes decode to within half a step of each weight, a partial last block padded with zeros', () => {
  const inputs = 70; // two whole blocks and a partial one
  const outputs = 3;
  const data = Float32Array.from({ length: inputs * outputs }, (_, k) => Math.sin(k * 1.7) * (k % 5 === 0 ? 2 : 0.3));
  const q = quantizeDense([inputs, outputs], data);
  const blocks = Math.ceil(inputs / INT8_BLOCK);
  assert.deepEqual(q.codes.dims, [outputs, blocks, INT8_BLOCK]);
  assert.deepEqual(q.scales.dims, [outputs, blocks]);
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < blocks * INT8_BLOCK; i++) {
      const b = Math.floor(i / INT8_BLOCK);
      const scale = q.scales.data[o * blocks + b];
      const decoded =
        (q.codes.data[(o * blocks + b) * INT8_BLOCK + (i % INT8_BLOCK)] - q.zeroPoints.data[o * blocks + b]) * scale;
      const original = i < inputs ? data[i * outputs + o] : 0;
      assert.ok(
        Math.abs(decoded - original) <= scale / 2 + 1e-7,
        `weight [${i}, ${o}]: ${decoded} for ${original} (step ${scale})`,
      );
    }
  }
});

for (const name of ['alexnet-tiny', 'alexnet-small', 'alexnet'] as const satisfies readonly ModelName[]) {
  test(`${name}: the int8 graph predicts within a fraction of a pixel of the float32 one`, async (t) => {
    const model = buildModel(architectures[name], 14, 7);
    const artifacts = await modelArtifacts(model);
    model.dispose();
    const { graph } = regressorOnnx(artifacts, 'int8');
    const ops = graph.nodes.map((n) => n.op);
    assert.equal(ops.filter((op) => op === 'MatMulNBits').length, 2, 'fc6 and fc7 read 8-bit codes');
    assert.equal(ops.filter((op) => op === 'Gemm').length, 1, 'the joint layer stays float32');
    assert.ok(
      !regressorOnnx(artifacts).graph.nodes.some((n) => n.domain),
      'the float32 graph (and the exported file) uses standard operators only',
    );

    const float = await loadRegressor(artifacts, 'onnx-cpu');
    const int8 = await loadRegressor(artifacts, 'onnx-cpu', 'int8');
    assert.equal(int8.dense, 'int8');
    const count = 4;
    const side = float.input;
    let s = 11;
    const pixels = Float32Array.from(
      { length: count * side * side * 3 },
      () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32,
    );
    const [a, b] = [await float.predict(pixels, count), await int8.predict(pixels, count)];
    float.dispose();
    int8.dispose();
    let worst = 0;
    for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) * side);
    t.diagnostic(`largest move: ${worst.toFixed(3)} input pixels`);
    // Outputs are joints ÷ the input side: in input pixels the two graphs part by well under one.
    assert.ok(worst < 0.5, `${name}: int8 predictions move by up to ${worst.toFixed(3)} input pixels`);
    assert.ok(worst > 0, 'the int8 graph really is a different computation');
  });
}

test('a backend that does not read 8-bit codes predicts as trained and says so (what a prediction set records)', async () => {
  const model = buildModel(architectures['alexnet-tiny'], 14, 7);
  const artifacts = await modelArtifacts(model);
  model.dispose();
  const regressor = await loadRegressor(artifacts, 'cpu', 'int8');
  assert.equal(regressor.dense, 'float32');
  regressor.dispose();
});
