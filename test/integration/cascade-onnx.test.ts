// An exported cascade runs outside the studio: ONNX Runtime's own InferenceSession on the
// exported files, with the crop rule written in FILE.cascade.json and README implemented here
// from that description (its affine warp written out here), gives the studio's predictions within
// 0.01 px (squares are not rounded, so float differences between ONNX Runtime and tfjs carry on into later crops: 0.002 px measured). The cascade is built, not trained: stage 1 is biased towards a spread pose so the
// refinement crops have a real torso to be placed by.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { architectures } from '../../src-main/core/pose/architectures';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { saveModel } from '../../src-main/core/training/models/model-files';
import { writeCascadeManifest } from '../../src-main/core/pose/cascade-files';
import { writeCascadeOnnx, type CascadeOnnxDescription } from '../../src-main/core/training/models/cascade-onnx-export';
import { runPrediction } from '../../src-main/core/inference/run-prediction';
import type { PredictionEvent } from '../../src-shared/training/protocol';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-cascade-onnx-');
after(temp.cleanup);
const JOINTS = 14;
const modelDir = join(temp.dir, 'model');
let images: string[];

// An LSP-ordered pose in the unit square (shoulders 8/9, hips 2/3).
const POSE: [number, number][] = [
  [0.4, 0.9],
  [0.42, 0.72],
  [0.44, 0.55],
  [0.56, 0.55],
  [0.58, 0.72],
  [0.6, 0.9],
  [0.3, 0.5],
  [0.33, 0.4],
  [0.42, 0.3],
  [0.58, 0.3],
  [0.67, 0.4],
  [0.7, 0.5],
  [0.5, 0.25],
  [0.5, 0.15],
];

before(async () => {
  await tf.setBackend('cpu');
  const arch = architectures['alexnet-tiny'];
  for (const [stage, folder] of [
    [1, modelDir],
    [2, join(modelDir, 'stage-2')],
    [3, join(modelDir, 'stage-3')],
  ] as const) {
    const model = buildModel(arch, JOINTS, 40 + stage);
    const fc8 = model.getLayer('fc8');
    const [kernel] = fc8.getWeights();
    // Stage 1 answers near a spread pose; stage 2 (the person re-crop) the same pose a little smaller; stage 3 the crop centre.
    fc8.setWeights([
      kernel,
      tf.tensor1d(POSE.flat().map((v) => (stage === 1 ? v : stage === 2 ? 0.5 + (v - 0.5) * 0.8 : 0.5))),
    ]);
    await saveModel(model, folder);
  }
  writeCascadeManifest(modelDir, {
    cropScale: 1.5,
    sigma: 2,
    torsoPairs: [
      [8, 3],
      [9, 2],
    ],
    kinds: ['whole', 'person', 'joints'],
  });
  images = (await generateSample({ outDir: join(temp.dir, 'images'), count: 3, seed: 5 })).examples.map(
    (e) => e.imagePath,
  );
});

/** The documented crop: one affine warp of the square to base (pixel centres, bilinear, black outside, halves up), centre cut to input, RGB / 255. */
async function crop(
  path: string,
  square: { x0: number; y0: number; side: number },
  base: number,
  input: number,
): Promise<Float32Array> {
  const { data, info } = await sharp(path)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const px = (x: number, y: number, c: number) =>
    x >= 0 && x < info.width && y >= 0 && y < info.height ? data[(y * info.width + x) * 3 + c] : 0;
  const s = square.side / base;
  const offset = Math.floor((base - input) / 2);
  const out = new Float32Array(input * input * 3);
  for (let v = 0; v < input; v++) {
    const ys = square.y0 + (v + offset + 0.5) * s - 0.5;
    const iy = Math.floor(ys);
    const fy = ys - iy;
    for (let u = 0; u < input; u++) {
      const xs = square.x0 + (u + offset + 0.5) * s - 0.5;
      const ix = Math.floor(xs);
      const fx = xs - ix;
      for (let c = 0; c < 3; c++) {
        const value =
          (1 - fy) * ((1 - fx) * px(ix, iy, c) + fx * px(ix + 1, iy, c)) +
          fy * ((1 - fx) * px(ix, iy + 1, c) + fx * px(ix + 1, iy + 1, c));
        out[(v * input + u) * 3 + c] = Math.floor(value + 0.5) / 255;
      }
    }
  }
  return out;
}

async function outsideTheStudio(
  file: string,
  imagePath: string,
): Promise<{ joints: [number, number][]; stage1: [number, number][] }> {
  const description = JSON.parse(
    readFileSync(file.replace(/\.onnx$/, '.cascade.json'), 'utf8'),
  ) as CascadeOnnxDescription;
  const { width, height } = await sharp(imagePath).metadata();
  let joints: [number, number][] = [];
  let stage1: [number, number][] = [];
  for (const [s, stage] of description.stages.entries()) {
    const session = await ort.InferenceSession.create(join(temp.dir, stage.file));
    const offset = Math.floor((stage.base - stage.input) / 2);
    const kind = description.kinds[s];
    const around = (left: number, top: number, right: number, bottom: number) => {
      const side = Math.max(16, Math.max(right - left, bottom - top) * description.cropScale);
      return { x0: left + (right - left) / 2 - side / 2, y0: top + (bottom - top) / 2 - side / 2, side };
    };
    const xs = joints.map(([x]) => x);
    const ys = joints.map(([, y]) => y);
    const squares =
      kind === 'whole'
        ? [
            {
              x0: (width! - Math.max(width!, height!)) / 2,
              y0: (height! - Math.max(width!, height!)) / 2,
              side: Math.max(width!, height!),
            },
          ]
        : kind === 'person'
          ? [around(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys))]
          : joints.map(([x, y]) => {
              const diameter =
                description.torsoPairs
                  .map(([a, b]) => Math.hypot(joints[a][0] - joints[b][0], joints[a][1] - joints[b][1]))
                  .reduce((t, d) => t + d, 0) / description.torsoPairs.length;
              const side = Math.max(16, description.sigma * diameter);
              return { x0: x - side / 2, y0: y - side / 2, side };
            });
    const pixels = new Float32Array(squares.length * stage.input * stage.input * 3);
    for (const [i, square] of squares.entries())
      pixels.set(await crop(imagePath, square, stage.base, stage.input), i * stage.input * stage.input * 3);
    const result = await session.run({
      image: new ort.Tensor('float32', pixels, [squares.length, stage.input, stage.input, 3]),
    });
    const out = result.joints.data as Float32Array;
    const toImage = (row: number, slot: number): [number, number] => {
      const q = squares[row];
      const k = q.side / stage.base;
      return [
        (out[row * JOINTS * 2 + 2 * slot] * stage.input + offset) * k + q.x0,
        (out[row * JOINTS * 2 + 2 * slot + 1] * stage.input + offset) * k + q.y0,
      ];
    };
    joints =
      squares.length === 1
        ? Array.from({ length: JOINTS }, (_, j) => toImage(0, j))
        : joints.map((_, j) => toImage(j, j));
    if (s === 0) stage1 = joints;
    await session.release();
  }
  return { joints, stage1 };
}

test('an exported cascade, run by ONNX Runtime with the documented crop rule, predicts what the studio predicts', async () => {
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
  assert.equal(studio.length, images.length);
  let worst = 0;
  let moved = 0;
  for (const p of studio) {
    const { joints, stage1 } = await outsideTheStudio(written.path, images[p.index]);
    p.joints.forEach(([x, y], j) => {
      worst = Math.max(worst, Math.hypot(x - joints[j][0], y - joints[j][1]));
      moved = Math.max(moved, Math.hypot(joints[j][0] - stage1[j][0], joints[j][1] - stage1[j][1]));
    });
  }
  assert.ok(moved > 1, `the later stages moved the joints (at most ${moved} px): they really ran`);
  assert.ok(worst <= 0.01, `largest difference ${worst} px`);
});
