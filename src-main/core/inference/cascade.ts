// The whole DeepPose cascade on one image, as prediction jobs, validation and the exported
// crop rule run it: stage 1 sees the person's view (its box, else the whole image) and
// regresses every joint; each later stage crops a sub-image around each joint's estimate
// (refine-view.ts), regresses the joints from it, and keeps the joint it was centred on.
import { predictionGeometry } from './prediction-crop';
import { centreAugmentation, cutInput } from '../training/data/augment';
import { cropToBase, type DecodedImage } from '../training/data/load-crop';
import { inputToImage, type CropGeometry } from '../training/data/crop-geometry';
import { poseDiameter, refineSquare } from '../training/data/refine-view';

/** One stage's network: square input side, the base its crops are scaled to, and a batched forward pass. */
export interface StageNet {
  input: number;
  base: number;
  predict(pixels: Float32Array, count: number): Promise<Float32Array>;
}

export interface CascadeRule {
  /** Crop side around a person box as a multiple of its longer side (stage 1). */
  cropScale: number;
  /** Refinement sub-image side as a multiple of the estimate's torso diameter. */
  sigma: number;
  torsoPairs: [number, number][];
}

export interface CascadeResult {
  /** Final joints in image pixels. */
  joints: [number, number][];
  /** Joints after each stage. */
  stages: [number, number][][];
  /** Where the last stage looked and what it answered: one crop for stage 1, one per joint after. */
  last: { geometries: CropGeometry[]; outputs: Float32Array };
}

/** Cuts one crop of `image` into `out` at `index` (centre cut, no augmentation). */
async function cut(image: DecodedImage, geometry: CropGeometry, out: Float32Array, index: number): Promise<void> {
  const rgb = await cropToBase(image, geometry, geometry.base);
  cutInput(rgb, geometry.base, geometry.input, centreAugmentation(geometry.base, geometry.input), out, index * geometry.input * geometry.input * 3);
}

/** Stages 1..nets.length on one decoded image. */
export async function predictCascade(image: DecodedImage, box: [number, number, number, number] | null | undefined, nets: StageNet[], rule: CascadeRule): Promise<CascadeResult> {
  const first = nets[0];
  const geometry = predictionGeometry(box, image.width, image.height, { input: first.input, base: first.base, cropScale: rule.cropScale });
  const pixels = new Float32Array(first.input * first.input * 3);
  await cut(image, geometry, pixels, 0);
  let outputs = await first.predict(pixels, 1);
  let geometries = [geometry];
  let joints = readJoints(outputs, geometries, (j) => [0, j]);
  const stages = [joints];
  for (const net of nets.slice(1)) {
    const diameter = poseDiameter(joints, rule.torsoPairs);
    geometries = joints.map((centre): CropGeometry => {
      const square = refineSquare(centre, diameter, rule.sigma);
      return { ...square, base: net.base, input: net.input, offset: centreAugmentation(net.base, net.input).offset, flipped: false };
    });
    const batch = new Float32Array(joints.length * net.input * net.input * 3);
    await Promise.all(geometries.map((g, j) => cut(image, g, batch, j)));
    outputs = await net.predict(batch, joints.length);
    const count = joints.length;
    // Crop j answers for joint j: its slot j of the outputs.
    joints = readJoints(outputs, geometries, (j) => [j, j], count);
    stages.push(joints);
  }
  return { joints, stages, last: { geometries, outputs } };
}

/** Joint j from output row `row` at slot `slot`, mapped back through that row's geometry. */
function readJoints(outputs: Float32Array, geometries: CropGeometry[], pick: (j: number) => [number, number], count = outputs.length / 2): [number, number][] {
  const width = outputs.length / geometries.length;
  const joints: [number, number][] = [];
  for (let j = 0; j < count; j++) {
    const [row, slot] = pick(j);
    const g = geometries[row];
    joints.push(inputToImage([outputs[row * width + 2 * slot] * g.input, outputs[row * width + 2 * slot + 1] * g.input], g));
  }
  return joints;
}
