// The flip check: the same cascade on the mirror image of a picture, its joints mirrored back
// into the picture's frame. A regressor that has understood the pose answers the mirrored
// picture with the mirrored pose; where the two answers part, it was guessing.
// Coordinates are continuous (pixel i covers [i, i + 1)), as the crop geometry's own mirror
// is: x in a picture of width w is w − x in its mirror image.
import type { DecodedImage } from '../pose/load-crop';
import { swapPairs } from '../pose/augment';
import { predictCascade, type CascadeRule, type StageNet } from './cascade';

type Box = [number, number, number, number];

/** The picture mirrored left to right (a new buffer; the original is untouched). */
export function mirrorImage(image: DecodedImage): DecodedImage {
  const { width, height, rgb } = image;
  const out = Buffer.allocUnsafe(rgb.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const s = row + x * 3;
      const d = row + (width - 1 - x) * 3;
      out[d] = rgb[s];
      out[d + 1] = rgb[s + 1];
      out[d + 2] = rgb[s + 2];
    }
  }
  return { rgb: out, width, height };
}

/** A person box [x, y, w, h] in the mirror image. */
export function mirrorBox(box: Box | null | undefined, width: number): Box | null {
  return box ? [width - box[0] - box[2], box[1], box[2], box[3]] : null;
}

/**
 * Joints predicted on the mirror image, back in the picture's frame: x mirrored, and left and
 * right swapped (the mirror image's left wrist is the picture's right wrist), with the skeleton's
 * flipPairs — the same map flip augmentation uses.
 */
export function mirrorJointsBack(
  joints: [number, number][],
  width: number,
  flipPairs: [number, number][],
): [number, number][] {
  return swapPairs(
    joints.map(([x, y]): [number, number] => [width - x, y]),
    flipPairs,
  );
}

/** The whole cascade on the mirror image; its final joints in the picture's frame. */
export async function predictMirrored(
  image: DecodedImage,
  box: Box | null | undefined,
  nets: StageNet[],
  rule: CascadeRule,
  flipPairs: [number, number][],
): Promise<[number, number][]> {
  const mirrored = await predictCascade(mirrorImage(image), mirrorBox(box, image.width), nets, rule);
  return mirrorJointsBack(mirrored.joints, image.width, flipPairs);
}
