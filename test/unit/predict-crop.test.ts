import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { join } from 'node:path';
import sharp from 'sharp';
import { predictionGeometry, prepareInput, type InputShape } from '../../src-main/core/inference/prediction-crop';
import { meanAndStd } from '../../src-main/core/inference/run-prediction';
import { imageToInput, inputToImage, predictionToImage } from '../../src-main/core/pose/crop-geometry';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-predict-crop-');
after(temp.cleanup);

// alexnet-tiny: input 96, base round(96 * 256 / 227) = 108.
const shape: InputShape = { input: 96, base: 108, cropScale: 1.5 };

function close(actual: [number, number], expected: [number, number], tolerance: number, what: string): void {
  const d = Math.hypot(actual[0] - expected[0], actual[1] - expected[1]);
  assert.ok(
    d <= tolerance,
    `${what}: got (${actual.map((v) => v.toFixed(3)).join(', ')}), expected (${expected.join(', ')}), ${d.toFixed(4)} px off`,
  );
}

test('without a box, a wide image is padded to a centred square and outputs map back to image pixels exactly', () => {
  const g = predictionGeometry(null, 200, 100, shape);
  // The square is the whole width, 50 px of black above and below; the centre cut starts at 6.
  assert.deepEqual(
    { x0: g.x0, y0: g.y0, side: g.side, offset: g.offset, flipped: g.flipped },
    { x0: 0, y0: -50, side: 200, offset: [6, 6], flipped: false },
  );
  // The image centre is the input centre: output (0.5, 0.5).
  close(predictionToImage([0.5, 0.5], g)[0], [100, 50], 1e-9, 'centre');
  // Scale 108/200 = 0.54: the image's top-left corner is input (-6, 21), i.e. output (-6/96, 21/96).
  close(imageToInput([0, 0], g), [-6, 21], 1e-9, 'corner to input');
  close(predictionToImage([-6 / 96, 21 / 96], g)[0], [0, 0], 1e-9, 'corner back');
  // Any point survives the round trip.
  for (const p of [
    [13.25, 97.5],
    [199, 0],
    [150.125, 42],
  ] as [number, number][])
    close(inputToImage(imageToInput(p, g), g), p, 1e-9, 'round trip');
});

test('with a box, the crop is the square around it scaled by the crop scale', () => {
  // Box 20 wide, 40 tall, centred at (50, 50): a 60 px square from (20, 20), reaching past no edge.
  const g = predictionGeometry([40, 30, 20, 40], 300, 200, shape);
  assert.deepEqual([g.x0, g.y0, g.side], [20, 20, 60]);
  close(predictionToImage([0.5, 0.5], g)[0], [50, 50], 1e-9, 'box centre');
  // A box at the image's corner: the 16 px minimum square reaches outside (padding) and still maps back exactly.
  const corner = predictionGeometry([0, 0, 10, 10], 300, 200, shape);
  assert.deepEqual([corner.x0, corner.y0, corner.side], [-3, -3, 16]);
  close(inputToImage(imageToInput([2, 3], corner), corner), [2, 3], 1e-9, 'corner box round trip');
});

/** Intensity centroid of the red channel of an RGB input, in input pixels (pixel centres at +0.5). */
function brightest(pixels: Float32Array, side: number): [number, number] {
  let sx = 0;
  let sy = 0;
  let sum = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const w = pixels[(y * side + x) * 3];
      sx += w * (x + 0.5);
      sy += w * (y + 0.5);
      sum += w;
    }
  }
  return [sx / sum, sy / sum];
}

test('the pixels the network sees agree with the geometry: a dot found in the input maps back onto the dot', async () => {
  // A tall image (padded left and right) with a white 5×5 dot centred at (30.5, 140.5).
  const imagePath = join(temp.dir, 'dot.png');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="90" height="160"><rect width="100%" height="100%" fill="black"/><rect x="28" y="138" width="5" height="5" fill="white"/></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(imagePath);
  const dot: [number, number] = [30.5, 140.5];
  for (const box of [null, [10, 100, 50, 55] as [number, number, number, number]]) {
    const prepared = await prepareInput({ imagePath, box }, shape);
    assert.equal(prepared.width, 90);
    assert.equal(prepared.height, 160);
    const found = brightest(prepared.pixels, shape.input);
    // One input pixel is side/base image pixels (160/108 without the box, 83/108 with it).
    close(
      inputToImage(found, prepared.geometry),
      dot,
      1.5 * (prepared.geometry.side / shape.base),
      box ? 'box crop' : 'whole image',
    );
  }
});

test('inference timing is reported as population mean and standard deviation', () => {
  assert.deepEqual(meanAndStd([1, 2, 3, 4]), { mean: 2.5, std: Math.sqrt(1.25) });
  assert.equal(meanAndStd([]), null);
});
