// The exported ONNX file read by an independent consumer: OpenCV's dnn (Debian's
// python3-opencv, 4.6) loads it and gives the studio's outputs within 1e-4. OpenCV parses
// fully connected layers only in PyTorch's layout ([out, in] weights, transB=1), so the
// layout is also checked where OpenCV is absent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { saveModel } from '../../src-main/core/training/models/model-files';
import { readModelArtifacts } from '../../src-main/core/pose/model-folder';
import { regressorOnnx, writeOnnxExport } from '../../src-main/core/onnx/regressor-export';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-onnx-opencv-');
after(() => temp.cleanup());
before(async () => {
  await tf.setBackend('cpu');
});

const JOINTS = 14;
// Debian's python3-opencv is for Debian's python, whichever python3 is on PATH.
const PYTHON = '/usr/bin/python3';

function hasOpenCv(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import cv2'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('dense layers are written as PyTorch does: Gemm with transB=1 and [out, in] weights', async () => {
  const model = buildModel(architectures['alexnet-tiny'], JOINTS, 5);
  const dir = join(temp.dir, 'layout');
  await saveModel(model, dir);
  const { graph } = regressorOnnx(readModelArtifacts(dir));
  const gemms = graph.nodes.filter((n) => n.op === 'Gemm');
  assert.ok(gemms.length > 0);
  for (const gemm of gemms) {
    assert.equal(gemm.attributes?.transB, 1, `${gemm.name} transB`);
    const layer = model.getLayer(gemm.name!);
    const [inputs, units] = layer.getWeights()[0].shape;
    assert.deepEqual(graph.floatConstants![`${gemm.name}.weight`].dims, [units, inputs], `${gemm.name} weight dims`);
  }
  model.dispose();
});

for (const [name, batch] of [
  ['alexnet-tiny', 3],
  ['alexnet', 2],
] as const) {
  test(`${name}: OpenCV's dnn loads the exported file and matches the studio within 1e-4`, async (t) => {
    if (!hasOpenCv()) {
      t.skip(`${PYTHON} cannot import cv2 (apt-get install python3-opencv; scripts/setup.sh does)`);
      return;
    }
    const model = buildModel(architectures[name], JOINTS, 9);
    const modelDir = join(temp.dir, name, 'model');
    await saveModel(model, modelDir);
    const { path: file } = await writeOnnxExport(modelDir, join(temp.dir, name, 'model.onnx'));
    const side = architectures[name].inputSize;
    const x = tf.randomUniform([batch, side, side, 3], 0, 1, 'float32', 13);
    const expected = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const inputFile = join(temp.dir, name, 'input.f32');
    const outputFile = join(temp.dir, name, 'output.f32');
    writeFileSync(inputFile, x.dataSync() as Float32Array);
    const script = [
      'import sys, numpy as np, cv2',
      'net = cv2.dnn.readNetFromONNX(sys.argv[1])',
      `x = np.fromfile(sys.argv[2], dtype=np.float32).reshape(${batch}, ${side}, ${side}, 3)`,
      'net.setInput(x)',
      'np.ascontiguousarray(net.forward(), dtype=np.float32).tofile(sys.argv[3])',
    ].join('\n');
    execFileSync(PYTHON, ['-c', script, file, inputFile, outputFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const raw = readFileSync(outputFile);
    const actual = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    assert.equal(actual.length, expected.length);
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    assert.ok(worst < 1e-4, `largest difference ${worst}`);
    x.dispose();
    model.dispose();
  });
}
