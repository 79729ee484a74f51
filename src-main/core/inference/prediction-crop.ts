// What the network sees of one image at prediction time: the square around the person's box
// (or the whole image, centred, when there is none), scaled to the base size and cut at the
// centre exactly as training's validation crop is, and the geometry that maps its output back.
import { cropSquare, type CropGeometry } from '../pose/crop-geometry';
import { cropToBase, decodeImage, type DecodedImage } from '../pose/load-crop';
import { centreAugmentation, cutInput } from '../pose/augment';
import type { PredictItem } from '../../../src-shared/training/protocol';

export interface InputShape {
  /** Square network input side. */
  input: number;
  /** Side the crop is scaled to before the centre cut (training's baseSize). */
  base: number;
  cropScale: number;
}

export interface PreparedInput {
  /** [input, input, 3] RGB in [0, 1]. */
  pixels: Float32Array;
  geometry: CropGeometry;
  /** The image as displayed (EXIF orientation applied). */
  width: number;
  height: number;
}

export function predictionGeometry(
  box: PredictItem['box'],
  width: number,
  height: number,
  shape: InputShape,
): CropGeometry {
  const square = cropSquare({ box: box ?? null, width, height }, shape.cropScale);
  return {
    ...square,
    base: shape.base,
    input: shape.input,
    offset: centreAugmentation(shape.base, shape.input).offset,
    flipped: false,
  };
}

/** Cuts one view of a decoded image into `out` at slot `index` (centre cut, no augmentation): every stage of a prediction crops with this. */
export async function cutView(
  image: DecodedImage,
  geometry: CropGeometry,
  out: Float32Array,
  index = 0,
): Promise<void> {
  const rgb = await cropToBase(image, geometry, geometry.base);
  cutInput(
    rgb,
    geometry.base,
    geometry.input,
    centreAugmentation(geometry.base, geometry.input),
    out,
    index * geometry.input * geometry.input * 3,
  );
}

/** Stage 1's input for one item, as the cascade prepares it. */
export async function prepareInput(item: PredictItem, shape: InputShape): Promise<PreparedInput> {
  const image = await decodeImage(item.imagePath);
  const geometry = predictionGeometry(item.box, image.width, image.height, shape);
  const pixels = new Float32Array(shape.input * shape.input * 3);
  await cutView(image, geometry, pixels);
  return { pixels, geometry, width: image.width, height: image.height };
}
