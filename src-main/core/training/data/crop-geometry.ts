// Where an example is cropped: a square around its box or its labeled joints (the whole
// image when it has neither), scaled to the base size, then cut to the network's input.

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

export function cropSquare(
  source: { joints?: [number, number, number][]; box?: [number, number, number, number] | null; width: number; height: number },
  cropScale: number,
): Square {
  let left: number, top: number, right: number, bottom: number;
  const labeled = (source.joints ?? []).filter(([, , v]) => v > 0);
  if (source.box) {
    [left, top] = source.box;
    right = left + source.box[2];
    bottom = top + source.box[3];
  } else if (labeled.length > 0) {
    left = Math.min(...labeled.map(([x]) => x));
    right = Math.max(...labeled.map(([x]) => x));
    top = Math.min(...labeled.map(([, y]) => y));
    bottom = Math.max(...labeled.map(([, y]) => y));
  } else {
    const side = Math.max(source.width, source.height);
    return whole({ x0: (source.width - side) / 2, y0: (source.height - side) / 2, side });
  }
  const side = Math.max(MIN_SIDE, Math.max(right - left, bottom - top) * cropScale);
  return whole({ x0: (left + right) / 2 - side / 2, y0: (top + bottom) / 2 - side / 2, side });
}

/** Whole pixels, so the part inside the image is cut without resampling offsets. */
function whole(square: Square): Square {
  return { x0: Math.round(square.x0), y0: Math.round(square.y0), side: Math.round(square.side) };
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
  for (let j = 0; j < output.length / 2; j++) joints.push(inputToImage([output[2 * j] * g.input, output[2 * j + 1] * g.input], g));
  return joints;
}
