// The whole DeepPose cascade on one image, as prediction jobs, validation and the exported
// crop rule run it. Stage 1 sees the person's view (its box, else the whole image) and
// regresses every joint. A 'person' stage re-crops the person around the estimate's extent and
// regresses every joint again; a 'joints' stage (the paper's refinement) crops a close-up
// around each joint's estimate and keeps, from crop j, joint j.
import type { StageKind } from '../../../src-shared/training/config';
import { cutView, predictionGeometry } from './prediction-crop';
import { centreAugmentation } from '../pose/augment';
import type { DecodedImage } from '../pose/load-crop';
import { inputToImage, type CropGeometry, type Square } from '../pose/crop-geometry';
import { personSquare, poseDiameter, refineSquare } from '../pose/refine-view';

/** One stage's network: square input side, the base its crops are scaled to, and a batched forward pass. */
export interface StageNet {
  input: number;
  base: number;
  predict(pixels: Float32Array, count: number): Promise<Float32Array>;
}

export interface CascadeRule {
  /** Crop side around a person box (stage 1) or the estimate's extent ('person' stage), as a multiple of its longer side. */
  cropScale: number;
  /** 'joints' close-up side as a multiple of the estimate's torso diameter. */
  sigma: number;
  torsoPairs: [number, number][];
  /** What each stage looks at, stage 1 ('whole') first. */
  kinds: StageKind[];
}

export interface CascadeResult {
  /** Final joints in image pixels. */
  joints: [number, number][];
  /** Joints after each stage. */
  stages: [number, number][][];
  /** The last stage, per joint: the crop it was read from and the network's raw answer (÷ input side). */
  last: { geometry: CropGeometry; output: [number, number] }[];
}

function viewOn(square: Square, net: StageNet): CropGeometry {
  return {
    ...square,
    base: net.base,
    input: net.input,
    offset: centreAugmentation(net.base, net.input).offset,
    flipped: false,
  };
}

/** The crops a stage looks at, given the estimate so far (none for stage 1). */
function stageViews(
  kind: StageKind,
  net: StageNet,
  image: DecodedImage,
  box: [number, number, number, number] | null | undefined,
  estimate: [number, number][],
  rule: CascadeRule,
): CropGeometry[] {
  if (kind === 'whole')
    return [
      predictionGeometry(box, image.width, image.height, {
        input: net.input,
        base: net.base,
        cropScale: rule.cropScale,
      }),
    ];
  if (kind === 'person') return [viewOn(personSquare(estimate, rule.cropScale), net)];
  const diameter = poseDiameter(estimate, rule.torsoPairs);
  return estimate.map((centre) => viewOn(refineSquare(centre, diameter, rule.sigma), net));
}

/** Stages 1..nets.length on one decoded image. */
export async function predictCascade(
  image: DecodedImage,
  box: [number, number, number, number] | null | undefined,
  nets: StageNet[],
  rule: CascadeRule,
): Promise<CascadeResult> {
  let joints: [number, number][] = [];
  let last: CascadeResult['last'] = [];
  const stages: [number, number][][] = [];
  for (const [s, net] of nets.entries()) {
    const kind = rule.kinds[s] ?? (s === 0 ? 'whole' : 'joints');
    const views = stageViews(kind, net, image, box, joints, rule);
    const pixels = new Float32Array(views.length * net.input * net.input * 3);
    await Promise.all(views.map((g, i) => cutView(image, g, pixels, i)));
    const outputs = await net.predict(pixels, views.length);
    const width = outputs.length / views.length;
    const count = width / 2;
    // One view answers for every joint; a close-up per joint answers for its own joint.
    last = Array.from({ length: count }, (_, j) => {
      const row = views.length === 1 ? 0 : j;
      return {
        geometry: views[row],
        output: [outputs[row * width + 2 * j], outputs[row * width + 2 * j + 1]] as [number, number],
      };
    });
    joints = last.map(({ geometry, output }) =>
      inputToImage([output[0] * geometry.input, output[1] * geometry.input], geometry),
    );
    stages.push(joints);
  }
  return { joints, stages, last };
}
