import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { join } from 'node:path';
import { centreAugmentation, drawAugmentation } from '../../src-main/core/pose/augment';
import { prepareBatch, trainingBatches, type PipelineOptions } from '../../src-main/core/training/data/batches';
import { cropSquare, imageToInput, inputToImage, predictionToImage } from '../../src-main/core/pose/crop-geometry';
import { streamFor } from '../../src-main/core/training/rng';
import type { Example } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

// Three joints marked by 9x9 squares: red (left), green (right), blue (middle); pairs swap 0 and 1.
const colours = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
];
const joints: [number, number, number][] = [
  [60, 50, 2],
  [150, 60, 2],
  [100, 120, 2],
];
let example: Example;

before(async () => {
  const imagePath = join(temp.dir, 'marks.png');
  const rects = joints
    .map(([x, y], j) => `<rect x="${x - 4}" y="${y - 4}" width="9" height="9" fill="rgb(${colours[j].join(',')})"/>`)
    .join('');
  await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="220" height="160"><rect width="100%" height="100%" fill="black"/>${rects}</svg>`,
    ),
  )
    .png()
    .toFile(imagePath);
  example = { imagePath, joints };
});

const options: PipelineOptions = {
  base: 108,
  input: 96,
  joints: 3,
  cropScale: 1.5,
  augment: false,
  flip: false,
  flipPairs: [[0, 1]],
  seed: 1,
  useVisibility: true,
  countOccluded: true,
};

/** The RGB (0-255) of the batch's input pixel nearest a target. */
function pixelAt(batch: Awaited<ReturnType<typeof prepareBatch>>, joint: number): number[] {
  const x = Math.floor(batch.targets[joint * 2] * options.input);
  const y = Math.floor(batch.targets[joint * 2 + 1] * options.input);
  const i = (y * options.input + x) * 3;
  return [...batch.pixels.subarray(i, i + 3)].map((v) => Math.round(v * 255));
}

test('a centre crop puts each joint target on its own mark', async () => {
  const batch = await prepareBatch([example], [centreAugmentation(options.base, options.input)], options);
  for (let j = 0; j < 3; j++) {
    const [r, g, b] = pixelAt(batch, j);
    const expected = colours[j];
    assert.ok(
      Math.abs(r - expected[0]) < 60 && Math.abs(g - expected[1]) < 60 && Math.abs(b - expected[2]) < 60,
      `joint ${j}: pixel ${[r, g, b]} under its target`,
    );
    assert.ok(batch.targets[j * 2] > 0 && batch.targets[j * 2] < 1);
  }
});

test('a horizontal flip mirrors the pixels and swaps the paired joints', async () => {
  const aug = { ...centreAugmentation(options.base, options.input), flipped: true };
  const straight = await prepareBatch([example], [centreAugmentation(options.base, options.input)], options);
  const flipped = await prepareBatch([example], [aug], options);
  // Slot 0 (left) now holds the right joint's mark, mirrored.
  assert.deepEqual(
    pixelAt(flipped, 0).map((v) => Math.round(v / 128)),
    colours[1].map((v) => Math.round(v / 128)),
  );
  assert.deepEqual(
    pixelAt(flipped, 1).map((v) => Math.round(v / 128)),
    colours[0].map((v) => Math.round(v / 128)),
  );
  assert.ok(
    Math.abs(flipped.targets[0] - (1 - straight.targets[2])) < 1e-6,
    'x of slot 0 is the mirrored x of joint 1',
  );
  assert.ok(Math.abs(flipped.targets[4] - (1 - straight.targets[4])) < 1e-6, 'the unpaired joint stays, mirrored');
});

test('crop coordinates map back to image pixels exactly', () => {
  const square = cropSquare({ width: 220, height: 160 }, 1.5);
  for (const flipped of [false, true]) {
    const g = { ...square, base: 108, input: 96, offset: [5, 7] as [number, number], flipped };
    for (const [x, y] of joints) {
      const back = inputToImage(imageToInput([x, y], g), g);
      assert.ok(Math.abs(back[0] - x) < 1e-9 && Math.abs(back[1] - y) < 1e-9);
    }
    const normalised = joints.flatMap(([x, y]) => imageToInput([x, y], g).map((v) => v / 96));
    predictionToImage(normalised, g).forEach(([x, y], j) =>
      assert.ok(Math.abs(x - joints[j][0]) < 1e-9 && Math.abs(y - joints[j][1]) < 1e-9),
    );
  }
});

test('augmentation is drawn from the seed: same seed same batch, lighting noise stays in [0, 1]', async () => {
  const augmenting = { ...options, augment: true, flip: true };
  const first = async (seed: number) =>
    (await trainingBatches([example, example], 2, 0, 0, { ...augmenting, seed }).next()).value!;
  const a = await first(3);
  const b = await first(3);
  const c = await first(4);
  assert.deepEqual(a.pixels, b.pixels);
  assert.deepEqual(a.targets, b.targets);
  assert.notDeepEqual(a.pixels, c.pixels);
  assert.ok(a.pixels.every((v: number) => v >= 0 && v <= 1));
  const aug = drawAugmentation(streamFor(1, 'augment', 0, 0), 108, 96, false);
  assert.ok(aug.offset.every((o) => o >= 0 && o <= 12));
  assert.ok(aug.lighting.some((v) => v !== 0));
});

test('an image without joints (prediction) is cropped whole and its input centre maps to the image centre', async () => {
  const batch = await prepareBatch(
    [{ imagePath: example.imagePath, joints: [] }],
    [centreAugmentation(options.base, options.input)],
    options,
  );
  assert.ok(batch.weights.every((w) => w === 0));
  const g = batch.geometries[0];
  assert.deepEqual([g.x0, g.y0, g.side], [0, -30, 220]);
  const [[x, y]] = predictionToImage([0.5, 0.5], g);
  assert.ok(Math.abs(x - 110) < 1e-9 && Math.abs(y - 80) < 1e-9, `centre maps to ${x}, ${y}`);
});

test('one crop rule: a validation batch sees exactly what a prediction of the unlabeled image sees, wherever the labels are', async () => {
  const { prepareInput } = await import('../../src-main/core/inference/prediction-crop');
  const predicted = await prepareInput(
    { imagePath: example.imagePath, box: null },
    { input: options.input, base: options.base, cropScale: options.cropScale },
  );
  for (const labels of [joints, joints.map(([x, y, v]): [number, number, number] => [x / 4, y / 4, v])]) {
    const batch = await prepareBatch(
      [{ ...example, joints: labels }],
      [centreAugmentation(options.base, options.input)],
      options,
    );
    assert.deepEqual(batch.geometries[0], predicted.geometry);
    assert.deepEqual(batch.pixels, predicted.pixels);
  }
  // With a person box both crop around the box.
  const box: [number, number, number, number] = [40, 30, 120, 100];
  const boxed = await prepareInput(
    { imagePath: example.imagePath, box },
    { input: options.input, base: options.base, cropScale: options.cropScale },
  );
  const batch = await prepareBatch([{ ...example, box }], [centreAugmentation(options.base, options.input)], options);
  assert.deepEqual(batch.geometries[0], boxed.geometry);
  assert.deepEqual(batch.pixels, boxed.pixels);
});
