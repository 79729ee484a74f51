// The cascade's later stages on the PyTorch engine cut the studio's pixels: from the same
// measured errors, the engine's 'person' and 'joints' epochs (simulated estimates drawn from the
// studio's streams, the crop rule's squares, the one affine warp, the focus joint's weights)
// give the pixels, targets and weights of the studio's own batches; and the engine's cascade
// over a picture, on the weights of a studio model folder, answers what the studio's does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { writeRunBundle } from '../../src-main/core/torch/run-bundle';
import { enginePath } from '../../src-main/core/torch/torch-launch';
import { trainingBatches, type Batch, type PipelineOptions } from '../../src-main/core/training/data/batches';
import { architectures, baseSize } from '../../src-main/core/pose/architectures';
import { cascadeRule } from '../../src-main/core/pose/cascade-files';
import { decodeImage } from '../../src-main/core/pose/load-crop';
import { buildModel } from '../../src-main/core/training/models/build-model';
import { saveModel } from '../../src-main/core/training/models/model-files';
import { predictCascade, type StageNet } from '../../src-main/core/inference/cascade';
import {
  personExamples,
  refinementExamples,
  type ObservedErrors,
} from '../../src-main/core/training/cascade/simulated-estimates';
import { trainingConfigSchema } from '../../src-shared/training/config';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';
import { makeTempDir } from '../support/paths';
import { pythonWithTorch } from '../support/python-torch';

const skip = pythonWithTorch.skip;
const temp = makeTempDir('deeppose-torch-cascade-');
after(() => temp.cleanup());

const config = trainingConfigSchema.parse({
  model: 'alexnet-tiny',
  joints: 14,
  batchSize: 4,
  seed: 9,
  flip: true,
  flipPairs: LSP_FLIP_PAIRS,
  stages: 3,
  refineDraws: 2,
  engine: 'torch',
});
const arch = architectures['alexnet-tiny'];
const pipeline: PipelineOptions = { ...config, base: baseSize(arch), input: arch.inputSize, seed: config.seed };

function python(script: string, ...args: string[]): string {
  return execFileSync(pythonWithTorch.python!, ['-c', script, ...args], {
    env: { ...process.env, PYTHONPATH: enginePath() },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

/** Errors as a measurement would leave them: a few per joint, some large enough to leave the picture. */
function someErrors(): ObservedErrors {
  const wave = (k: number) => Math.sin(k * 12.9898) * 0.9;
  return {
    joints: Array.from({ length: 14 }, (_, j) =>
      Array.from({ length: 3 + (j % 3) }, (_, k): [number, number, number] => [
        wave(j * 7 + k),
        wave(j * 11 + k + 3),
        0.7 + 0.2 * k,
      ]),
    ),
    person: [
      [0.1, -0.2, 0.9],
      [-0.3, 0.25, 1.2],
      [0.05, 0.4, 0.75],
    ],
  };
}

test("the engine's person and joint close-up epochs are the studio's batches, pixel for pixel", { skip }, async () => {
  const examples = await makeSyntheticPoses(join(temp.dir), 6, 3);
  examples[1] = { ...examples[1], box: [20, 15, 60, 90] };
  // one picture of noise, where any misplaced sample shows
  const noise = new Uint8Array(150 * 130 * 3).map((_, i) => (i * 2654435761) >>> 24);
  await sharp(noise, { raw: { width: 150, height: 130, channels: 3 } })
    .png()
    .toFile(join(temp.dir, 'noise.png'));
  examples[2] = { ...examples[2], imagePath: join(temp.dir, 'noise.png') };
  const bundle = join(temp.dir, 'bundle');
  await writeRunBundle(bundle, config, { train: examples, val: [] });
  const errors = someErrors();
  writeFileSync(join(temp.dir, 'errors.json'), JSON.stringify(errors));
  const rule = cascadeRule(config);
  const epochs: Array<{ epoch: number; kind: 'person' | 'joints' }> = [
    { epoch: 101, kind: 'person' },
    { epoch: 201, kind: 'joints' },
  ];
  const script = [
    'import sys, json',
    'from deeppose_torch.bundle import Bundle',
    'from deeppose_torch.data import CropDataset, StudioBatchSampler, collate',
    'from deeppose_torch.cascade import person_items, refinement_items, rule_of',
    'b = Bundle(sys.argv[1]); d = CropDataset(b, "train"); c = b.config; rule = rule_of(c, b.manifest)',
    'errors = json.load(open(sys.argv[2])); epoch = int(sys.argv[3]); kind = sys.argv[4]',
    'd.set_items(person_items(d.examples, errors, rule, c["seed"], epoch) if kind == "person" else refinement_items(d.examples, errors, rule, c["refineDraws"], c["seed"], epoch))',
    'out = []',
    'for items in StudioBatchSampler(len(d), 4, c["seed"], epoch, b.base, b.input_size, True, True):',
    '    px, t, w, _ = collate([d[i] for i in items], d.joints, b.input_size)',
    '    out.append({"pixels": px.numpy().reshape(-1).tolist(), "targets": t.numpy().reshape(-1).tolist(), "weights": w.numpy().reshape(-1).tolist()})',
    'print(json.dumps(out))',
  ].join('\n');
  for (const { epoch, kind } of epochs) {
    const studioExamples =
      kind === 'person'
        ? personExamples(examples, errors, rule, config.seed, epoch)
        : refinementExamples(examples, errors, rule, config.refineDraws, config.seed, epoch);
    const studio: Batch[] = [];
    for await (const batch of trainingBatches(studioExamples, 4, epoch, 0, pipeline)) studio.push(batch);
    const engine = JSON.parse(python(script, bundle, join(temp.dir, 'errors.json'), String(epoch), kind)) as Array<{
      pixels: number[];
      targets: number[];
      weights: number[];
    }>;
    assert.equal(engine.length, studio.length, `${kind}: batches`);
    let worstPixel = 0;
    let worstTarget = 0;
    let masked = 0;
    studio.forEach((batch, b) => {
      assert.equal(engine[b].pixels.length, batch.pixels.length);
      batch.pixels.forEach((v, k) => (worstPixel = Math.max(worstPixel, Math.abs(v - engine[b].pixels[k]))));
      batch.targets.forEach((v, k) => (worstTarget = Math.max(worstTarget, Math.abs(v - engine[b].targets[k]))));
      assert.deepEqual(engine[b].weights, [...batch.weights], `${kind}: weights of batch ${b}`);
      masked += batch.weights.filter((w) => w === 0).length;
    });
    if (kind === 'joints') assert.ok(masked > 0, 'close-ups leave joints outside them out of the loss');
    // The same warp of the same decoded picture: the same bytes, then float32 rounding only.
    assert.ok(worstPixel <= 1e-6, `${kind}: pixels differ by ${worstPixel}`);
    assert.ok(worstTarget <= 1e-6, `${kind}: targets differ by ${worstTarget}`);
  }
});

test(
  "the engine's cascade over a picture, on a studio model's weights, answers the studio's joints",
  { skip },
  async () => {
    await tf.setBackend('cpu');
    mkdirSync(join(temp.dir, 'predict'), { recursive: true });
    const examples = await makeSyntheticPoses(join(temp.dir, 'predict'), 3, 5);
    const rule = cascadeRule(config);
    const nets: StageNet[] = [];
    const dirs: string[] = [];
    for (let stage = 1; stage <= 3; stage++) {
      const model = buildModel(arch, 14, 40 + stage);
      const dir = join(temp.dir, 'predict', `stage-${stage}`);
      await saveModel(model, dir);
      dirs.push(dir);
      nets.push({
        input: arch.inputSize,
        base: baseSize(arch),
        async predict(pixels, count) {
          const y = tf.tidy(
            () => model.predict(tf.tensor4d(pixels, [count, arch.inputSize, arch.inputSize, 3])) as tf.Tensor,
          );
          return (await y.data()) as Float32Array;
        },
      });
    }
    const studio = [];
    for (const e of examples)
      studio.push((await predictCascade(await decodeImage(e.imagePath), null, nets, rule)).stages);
    const script = [
      'import sys, json, numpy as np, torch',
      'from PIL import Image',
      'from deeppose_torch.cascade import StageNet, predict_cascade',
      'from deeppose_torch.network import PoseNet',
      'from deeppose_torch.studio_files import read_model_folder',
      'args = json.loads(sys.argv[1])',
      'nets = []',
      'for d in args["dirs"]:',
      '    m = PoseNet(args["plan"], args["input"]); m.load_tfjs_weights(read_model_folder(d)); nets.append(StageNet(m.eval(), args["base"], args["input"], torch.device("cpu")))',
      'out = []',
      'for p in args["pictures"]:',
      '    rgb = np.asarray(Image.open(p).convert("RGB"), dtype=np.uint8)',
      '    out.append(predict_cascade(rgb, None, nets, args["rule"])[1])',
      'print(json.dumps(out))',
    ].join('\n');
    const { networkPlan } = await import('../../src-main/core/training/models/network-plan');
    const engine = JSON.parse(
      python(
        script,
        JSON.stringify({
          dirs,
          plan: networkPlan(arch, 14),
          input: arch.inputSize,
          base: baseSize(arch),
          rule,
          pictures: examples.map((e) => e.imagePath),
        }),
      ),
    ) as [number, number][][][];
    let worst = 0;
    studio.forEach((stages, i) =>
      stages.forEach((joints, s) =>
        joints.forEach(([x, y], j) => {
          worst = Math.max(worst, Math.abs(x - engine[i][s][j][0]), Math.abs(y - engine[i][s][j][1]));
        }),
      ),
    );
    // Two runtimes' float32 sums differ in the last bits; the crops follow the estimates continuously.
    assert.ok(worst < 0.01, `joints differ by up to ${worst} px`);
  },
);
