// An exported cascade anyone can run exactly: the runner written beside every export
// (FILE.cascade.py: numpy and OpenCV's dnn, implementing README's crop rule and nothing of the
// studio's code) predicts 10 new pictures and gives the studio's joints, every stage, within
// 0.5 px. The cascade is built, not trained: stage 1 answers near a spread pose so that the
// person re-crop and the joint close-ups are placed by a real estimate.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { saveModel } from '../../src-main/core/training/models/model-files';
import { writeCascadeManifest } from '../../src-main/core/pose/cascade-files';
import { writeCascadeOnnx } from '../../src-main/core/training/models/cascade-onnx-export';
import { runPrediction } from '../../src-main/core/inference/run-prediction';
import type { PredictionEvent } from '../../src-shared/training/protocol';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import { LSP_TORSO_PAIRS } from '../../src-main/core/pose/pose-joints';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-cascade-runner-');
after(temp.cleanup);
// Debian's python3-opencv is for Debian's python, whichever python3 is on PATH.
const PYTHON = '/usr/bin/python3';
const JOINTS = 14;

function missingOpenCv(): string | false {
  try {
    execFileSync(PYTHON, ['-c', 'import cv2, numpy'], { stdio: 'ignore' });
    return false;
  } catch {
    return `${PYTHON} cannot import cv2 and numpy (apt-get install python3-opencv; scripts/setup.sh does)`;
  }
}

// An LSP-ordered spread pose in the unit square (shoulders 8/9, hips 2/3).
const POSE = [
  0.4, 0.9, 0.42, 0.72, 0.44, 0.55, 0.56, 0.55, 0.58, 0.72, 0.6, 0.9, 0.3, 0.5, 0.33, 0.4, 0.42, 0.3, 0.58, 0.3, 0.67,
  0.4, 0.7, 0.5, 0.5, 0.25, 0.5, 0.15,
];

test(
  "the exported runner, with OpenCV's dnn, reproduces the studio's joints on 10 new pictures within 0.5 px at every stage",
  { skip: missingOpenCv() },
  async () => {
    await tf.setBackend('cpu');
    const modelDir = join(temp.dir, 'model');
    const arch = architectures['alexnet-tiny'];
    for (const [stage, folder] of [
      [1, modelDir],
      [2, join(modelDir, 'stage-2')],
      [3, join(modelDir, 'stage-3')],
    ] as const) {
      const model = buildModel(arch, JOINTS, 60 + stage);
      const fc8 = model.getLayer('fc8');
      const [kernel] = fc8.getWeights();
      // Small random weights on top of a pose-like bias: the answers depend on the pixels, and stay a pose.
      fc8.setWeights([
        kernel.mul(0.2),
        tf.tensor1d(POSE.map((v) => (stage === 3 ? 0.5 : stage === 2 ? 0.5 + (v - 0.5) * 0.8 : v))),
      ]);
      await saveModel(model, folder);
    }
    writeCascadeManifest(modelDir, {
      cropScale: 1.5,
      sigma: 2,
      torsoPairs: LSP_TORSO_PAIRS,
      kinds: ['whole', 'person', 'joints'],
    });
    const images = (await generateSample({ outDir: join(temp.dir, 'new'), count: 10, seed: 31 })).examples.map(
      (e) => e.imagePath,
    );

    const written = await writeCascadeOnnx(modelDir, join(temp.dir, 'pose.onnx'));
    assert.deepEqual(
      written.files.map((f) => f.slice(temp.dir.length + 1)),
      ['pose.onnx', 'pose.stage-2.onnx', 'pose.stage-3.onnx', 'pose.cascade.json', 'pose.cascade.py'],
    );
    const events: PredictionEvent[] = [];
    await runPrediction(
      {
        type: 'predict',
        modelDir,
        items: images.map((imagePath) => ({ imagePath, box: null })),
        backend: 'cpu',
        cropScale: 1.5,
      },
      { emit: (e) => events.push(e), stopRequested: () => false },
    );
    const studio = events.flatMap((e) => (e.type === 'prediction' ? [e] : []));
    assert.equal(studio.length, 10);

    const lines = execFileSync(
      PYTHON,
      [join(temp.dir, 'pose.cascade.py'), join(temp.dir, 'pose.cascade.json'), ...images],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { picture: string; stages: [number, number][][] });
    assert.equal(lines.length, 10);
    const worst = [0, 0, 0];
    let moved = 0;
    for (const p of studio) {
      const outside = lines[p.index].stages;
      assert.equal(outside.length, 3);
      p.stageJoints.forEach((joints, s) =>
        joints.forEach(([x, y], j) => {
          worst[s] = Math.max(worst[s], Math.hypot(x - outside[s][j][0], y - outside[s][j][1]));
        }),
      );
      p.stageJoints[2].forEach(
        ([x, y], j) => (moved = Math.max(moved, Math.hypot(x - p.stageJoints[0][j][0], y - p.stageJoints[0][j][1]))),
      );
    }
    console.log(`largest difference per stage: ${worst.join(', ')} px; moved ${moved}`);
    assert.ok(moved > 1, `the later stages moved the joints (at most ${moved} px): they really ran`);
    assert.ok(
      worst.every((w) => w <= 0.5),
      `largest difference per stage: ${worst.map((w) => w.toFixed(4)).join(', ')} px`,
    );
  },
);
