// The ONNX export of trained networks: the exported graph, run in ONNX Runtime, gives the
// tfjs model's outputs (plain cpu backend) within 1e-4 for each of the studio's networks;
// the file passes the onnx package's checker (full check, with shape inference) where
// python3-onnx is installed (CI installs it); unsupported models are refused by name.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import type { ModelName } from '../../src-shared/training/config';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { saveModel } from '../../src-main/core/training/models/model-files';
import { writeOnnxExport, ONNX_INPUT, ONNX_OUTPUT } from '../../src-main/core/onnx/regressor-export';
import { OnnxSession } from '../../src-main/core/onnx/onnx-runtime';
import { STUDIO_VERSION } from '../../src-main/core/version';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-onnx-export-');
after(() => temp.cleanup());
before(async () => {
  await tf.setBackend('cpu');
});

const JOINTS = 14;

/** Saves a freshly initialised network and exports it; answers the folder and file. */
async function exported(
  name: ModelName,
  seed: number,
): Promise<{ model: tf.Sequential; modelDir: string; file: string; params: number }> {
  const model = buildModel(architectures[name], JOINTS, seed);
  const modelDir = join(temp.dir, name, 'model');
  await saveModel(model, modelDir);
  const written = await writeOnnxExport(modelDir, join(temp.dir, name, `${name}.onnx`));
  return { model, modelDir, file: written.path, params: written.params };
}

/** A Python that can import onnx: the one on PATH, else Debian's (python3-onnx). */
function pythonWithOnnx(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import onnx'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next
    }
  }
  return null;
}

for (const [name, batch] of [
  ['alexnet-tiny', 4],
  ['alexnet-small', 3],
  ['alexnet', 2],
] as const) {
  test(`${name}: ONNX Runtime on the exported graph matches the tfjs model within 1e-4`, async () => {
    const { model, file, params } = await exported(name, 7);
    assert.equal(params, model.countParams(), 'every weight is in the graph');
    const side = architectures[name].inputSize;
    const x = tf.randomUniform([batch, side, side, 3], 0, 1, 'float32', 11);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const session = OnnxSession.fromBytes(readFileSync(file));
    const [actual] = session.run(
      [{ name: ONNX_INPUT, shape: [batch, side, side, 3], data: x.dataSync() as Float32Array }],
      [{ name: ONNX_OUTPUT, shape: [batch, JOINTS * 2] }],
    );
    assert.equal(actual.length, expected.length);
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    assert.ok(worst < 1e-4, `largest difference ${worst}`);
    // The outputs differ per image: the batch axis is really the batch.
    assert.notDeepEqual(Array.from(actual.slice(0, JOINTS * 2)), Array.from(actual.slice(JOINTS * 2, JOINTS * 4)));
    x.dispose();
    model.dispose();
  });
}

test('the exported file passes the onnx checker with shape inference', async (t) => {
  const python = pythonWithOnnx();
  if (!python) {
    assert.ok(!process.env.CI, 'CI installs python3-onnx for this test');
    t.skip('python3 cannot import onnx (apt-get install python3-onnx)');
    return;
  }
  const { file } = await exported('alexnet-small', 3);
  const script = [
    'import sys, onnx',
    'model = onnx.load(sys.argv[1])',
    'onnx.checker.check_model(model, full_check=True)',
    'inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)',
    'out = inferred.graph.output[0].type.tensor_type.shape.dim',
    'print(inferred.opset_import[0].version, [d.dim_param or d.dim_value for d in out], sorted({n.op_type for n in model.graph.node}), model.producer_name, model.producer_version)',
  ].join('\n');
  const printed = execFileSync(python, ['-c', script, file], { encoding: 'utf8' }).trim();
  assert.equal(
    printed,
    `13 ['batch', 28] ['Conv', 'Flatten', 'Gemm', 'MaxPool', 'Relu', 'Transpose'] DeepPose Studio ${STUDIO_VERSION}`,
  );
});

test('models the export does not cover are refused with the layer named', async () => {
  const { modelDir } = await exported('alexnet-tiny', 1);
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
  const layers = json.modelTopology.config.layers;
  layers.splice(1, 0, { class_name: 'BatchNormalization', config: { name: 'bn1', axis: -1 } });
  const odd = join(temp.dir, 'odd', 'model');
  mkdirSync(odd, { recursive: true });
  writeFileSync(join(odd, 'model.json'), JSON.stringify(json));
  writeFileSync(join(odd, 'weights.bin'), readFileSync(join(modelDir, 'weights.bin')));
  await assert.rejects(
    writeOnnxExport(odd, join(temp.dir, 'odd.onnx')),
    /bn1 \(BatchNormalization\): no ONNX equivalent/,
  );
  await assert.rejects(
    writeOnnxExport(join(temp.dir, 'missing'), join(temp.dir, 'missing.onnx')),
    /missing: cannot read the model/,
  );
});
