// Checkpoints write the model and the optimizer state tensor by tensor, hashing on the way,
// instead of through tfjs' joined copy and a read-back. The files must stay what tfjs' own
// save writes (byte for byte), the manifest must hold their real sizes and checksums, and a
// checkpoint must load back to the same weights and optimizer state.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src-main/core/backends/select-backend';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { saveModel } from '../../src-main/core/training/models/model-files';
import { FusedMomentumOptimizer } from '../../src-main/core/engines/tfjs/fused-optimizers';
import {
  loadCheckpointModel,
  loadCheckpointOptimizer,
  writeCheckpoint,
} from '../../src-main/core/training/checkpoints';
import { verifyCheckpoint, type Progress } from '../../src-main/core/pose/checkpoint-folder';
import { trainingConfigSchema } from '../../src-shared/training/config';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);
before(async () => {
  await selectBackend('cpu');
});

test('a checkpoint holds the files tfjs would write, checksummed, and loads back to the same state', async () => {
  const model = buildModel(architectures['alexnet-tiny'], 14, 3);
  const optimizer = new FusedMomentumOptimizer(0.01, 0.9);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // One real step so the momentum slots exist and are not zero.
  tf.tidy(() => {
    optimizer.minimize(
      () =>
        tf.mean(
          tf.square(model.predict(tf.randomUniform([2, 96, 96, 3], 0, 1, 'float32', 1)) as tf.Tensor),
        ) as tf.Scalar,
      false,
      variables,
    );
  });
  const progress: Progress = {
    stage: 1,
    epoch: 1,
    batch: 0,
    iteration: 1,
    rng: { seed: 0, scheme: 'counter-v1' },
    history: [],
    config: trainingConfigSchema.parse({ model: 'alexnet-tiny', joints: 14 }),
  };
  const dir = await writeCheckpoint(temp.dir, model, optimizer, progress);

  await saveModel(model, join(temp.dir, 'tfjs-save'));
  for (const file of ['model.json', 'weights.bin'])
    assert.deepEqual(
      readFileSync(join(dir, 'model', file)),
      readFileSync(join(temp.dir, 'tfjs-save', file)),
      `${file} equals tfjs' own save`,
    );

  const manifest = verifyCheckpoint(dir);
  const listed = Object.keys(manifest.files).sort();
  assert.deepEqual(listed, [
    'model/model.json',
    'model/weights.bin',
    'optimizer.bin',
    'optimizer.json',
    'progress.json',
  ]);
  for (const name of listed) {
    const data = readFileSync(join(dir, name));
    assert.equal(manifest.files[name].bytes, statSync(join(dir, name)).size);
    assert.equal(manifest.files[name].sha256, createHash('sha256').update(data).digest('hex'));
  }
  assert.deepEqual(
    readdirSync(join(temp.dir, 'checkpoints')).filter((n) => n.startsWith('.')),
    [],
    'no partial folder left',
  );

  const loaded = await loadCheckpointModel(dir);
  model.trainableWeights.forEach((w, i) =>
    assert.deepEqual(loaded.trainableWeights[i].read().dataSync(), w.read().dataSync(), w.originalName),
  );
  const restored = new FusedMomentumOptimizer(0.01, 0.9);
  await loadCheckpointOptimizer(dir, restored);
  const [saved, back] = [await optimizer.getWeights(), await restored.getWeights()];
  assert.equal(back.length, saved.length);
  saved.forEach((s, i) => assert.deepEqual(back[i].tensor.dataSync(), s.tensor.dataSync(), s.name));
  assert.ok(
    saved.slice(1).some((s) => (s.tensor.dataSync() as Float32Array).some((v) => v !== 0)),
    'momentum slots were written with values',
  );
});
