// Where an example is cropped: a square around its person box, or the whole image when it
// has none, scaled to the base size, then cut to the network's input.

export interface Square {
  x0: number;
  y0: number;
  side: number;
}

/** How image pixels map to network input pixels: scale to `base`, cut at `offset`, maybe mirror. */
export interface CropGeometry extends Square {
  base: number;
  input: number;
  offset: [number, number];
  flipped: boolean;
}

const MIN_SIDE = 16;

/** What the crop rule may look at: never the labels, only what a new, unlabeled image has. */
export interface CropSource {
  box?: [number, number, number, number] | null;
  width: number;
  height: number;
}

/**
 * The one crop rule, shared by training, validation, prediction, bench and ONNX export: a
 * person with a box is seen in a square of `cropScale` × the box's longer side around it;
 * anything else is seen whole, padded to a square. Labels never place a crop, so the model
 * is trained on the view a new image will give it.
 */
export function cropSquare(source: CropSource, cropScale: number): Square {
  const box = source.box;
  if (box && box[2] > 0 && box[3] > 0) {
    const side = Math.max(MIN_SIDE, Math.max(box[2], box[3]) * cropScale);
    return { x0: box[0] + box[2] / 2 - side / 2, y0: box[1] + box[3] / 2 - side / 2, side };
  }
  const side = Math.max(source.width, source.height);
  // Not rounded: the crop is one affine warp (warpToBase), so a square may start between
  // pixels, and an estimate a hair different gives a crop a hair different, never a pixel.
  return { x0: (source.width - side) / 2, y0: (source.height - side) / 2, side };
}

/** Image pixel -> input pixel. */
export function imageToInput(point: [number, number], g: CropGeometry): [number, number] {
  const scale = g.base / g.side;
  const x = (point[0] - g.x0) * scale - g.offset[0];
  const y = (point[1] - g.y0) * scale - g.offset[1];
  return [g.flipped ? g.input - x : x, y];
}

/** Input pixel -> image pixel (the inverse of imageToInput). */
export function inputToImage(point: [number, number], g: CropGeometry): [number, number] {
  const x = g.flipped ? g.input - point[0] : point[0];
  const scale = g.side / g.base;
  return [(x + g.offset[0]) * scale + g.x0, (point[1] + g.offset[1]) * scale + g.y0];
}

/** A network output (joints*2 values, coordinates divided by the input size) in image pixels. */
export function predictionToImage(output: ArrayLike<number>, g: CropGeometry): [number, number][] {
  const joints: [number, number][] = [];
  for (let j = 0; j < output.length / 2; j++)
    joints.push(inputToImage([output[2 * j] * g.input, output[2 * j + 1] * g.input], g));
  return joints;
}
