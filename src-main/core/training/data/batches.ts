// Turns examples into network batches: seeded order and augmentation per (epoch, batch),
// decoded ahead of the training step so sharp's threads overlap the tensor work.
import { StudioError } from '../../../../src-shared/api/define';
import type { Example } from '../../../../src-shared/training/protocol';
import { permutation, streamFor } from '../rng';
import {
  centreAugmentation,
  cutInput,
  drawAugmentation,
  referenceColourNoise,
  referenceCut,
  swapPairs,
  type Augmentation,
} from '../../pose/augment';
import { cropSquare, imageToInput, type CropGeometry, type Square } from '../../pose/crop-geometry';
import { cropToBase, decodeImage } from '../../pose/load-crop';
import { jointWeight, type MaskOptions } from '../../pose/joint-weight';

/**
 * An example as the pipeline crops it: by the crop rule, or, in a cascade's refinement stages,
 * in an explicit `view` around one joint's estimate, where only the `focus` joint is learnt.
 */
export interface CropExample extends Example {
  view?: Square;
  focus?: number;
}

export interface Batch {
  /** [size, input, input, 3] RGB in [0, 1]. */
  pixels: Float32Array;
  /** [size, joints*2]: input pixels / input size. */
  targets: Float32Array;
  /** [size, joints]: 1 counted in the loss, 0 masked. */
  weights: Float32Array;
  /** Per example, how its input maps back to image pixels. */
  geometries: CropGeometry[];
  size: number;
}

export interface PipelineOptions extends MaskOptions {
  base: number;
  input: number;
  joints: number;
  cropScale: number;
  augment: boolean;
  flip: boolean;
  flipPairs: [number, number][];
  seed: number;
  /** 'reference': the article's joint-constrained cut and per-picture colour noise. */
  augmentation?: 'studio' | 'reference';
}

/** Decodes, crops and augments `examples` (run concurrently on sharp's threads). Also the input preparation for prediction. */
export async function prepareBatch(
  examples: CropExample[],
  augmentations: Augmentation[],
  o: PipelineOptions,
): Promise<Batch> {
  const size = examples.length;
  const batch: Batch = {
    pixels: new Float32Array(size * o.input * o.input * 3),
    targets: new Float32Array(size * o.joints * 2),
    weights: new Float32Array(size * o.joints),
    geometries: new Array<CropGeometry>(size),
    size,
  };
  await Promise.all(
    examples.map(async (example, i) => {
      // No joints at all is an image to predict on: cropped around its box or as a whole.
      if (example.joints.length !== o.joints && example.joints.length !== 0) {
        throw new StudioError(
          'bad-input',
          `${example.imagePath}: ${example.joints.length} joints, the model expects ${o.joints}`,
        );
      }
      const image = await decodeImage(example.imagePath);
      const square =
        example.view ?? cropSquare({ box: example.box, width: image.width, height: image.height }, o.cropScale);
      const rgb = await cropToBase(image, square, o.base);
      const aug = placed(augmentations[i], example, square, o);
      cutInput(rgb, o.base, o.input, aug, batch.pixels, i * o.input * o.input * 3);
      if (aug.reference)
        referenceColourNoise(batch.pixels, i * o.input * o.input * 3, o.input * o.input, aug.reference.alpha);
      const geometry: CropGeometry = {
        ...square,
        base: o.base,
        input: o.input,
        offset: aug.offset,
        flipped: aug.flipped,
      };
      batch.geometries[i] = geometry;
      const joints = aug.flipped ? swapPairs(example.joints, o.flipPairs) : example.joints;
      // After a mirror the focus joint sits in its partner's slot.
      const focus =
        example.focus === undefined ? undefined : aug.flipped ? partnerOf(example.focus, o.flipPairs) : example.focus;
      joints.forEach(([x, y, v], j) => {
        const [ix, iy] = imageToInput([x, y], geometry);
        batch.targets[(i * o.joints + j) * 2] = ix / o.input;
        batch.targets[(i * o.joints + j) * 2 + 1] = iy / o.input;
        // A refinement crop teaches its focus joint, and every other joint that falls inside it.
        const inside = ix >= 0 && iy >= 0 && ix <= o.input && iy <= o.input;
        batch.weights[i * o.joints + j] = focus === undefined || focus === j || inside ? jointWeight(v, o) : 0;
      });
    }),
  );
  return batch;
}

/** A reference draw placed on its crop: the cut keeps the top-left-most visible joints inside. */
function placed(aug: Augmentation, example: CropExample, square: Square, o: PipelineOptions): Augmentation {
  if (!aug.reference) return aug;
  const scale = o.base / square.side;
  const visible = example.joints
    .filter(([, , v]) => v === 2)
    .map(([x, y]) => [(x - square.x0) * scale, (y - square.y0) * scale]);
  const min: [number, number] | null = visible.length
    ? [Math.min(...visible.map((p) => p[0])), Math.min(...visible.map((p) => p[1]))]
    : null;
  return { ...aug, offset: referenceCut(aug.reference.share, min, o.base, o.input) };
}

function partnerOf(joint: number, pairs: [number, number][]): number {
  for (const [a, b] of pairs) {
    if (a === joint) return b;
    if (b === joint) return a;
  }
  return joint;
}

/** Batch b of an epoch: which examples, drawn from the epoch's seeded order. */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  return permutation(count, streamFor(seed, 'shuffle', epoch));
}

export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/**
 * The training batches of `epoch` from batch `startBatch` on, `depth` batches decoded ahead.
 * Every draw depends only on (seed, epoch, batch), so resuming mid-epoch replays the same batches.
 */
export async function* trainingBatches(
  examples: CropExample[],
  batchSize: number,
  epoch: number,
  startBatch: number,
  o: PipelineOptions,
  depth = 2,
): AsyncGenerator<Batch> {
  const order = epochOrder(examples.length, o.seed, epoch);
  const total = batchCount(examples.length, batchSize);
  const make = (b: number) => {
    const chosen = order.slice(b * batchSize, (b + 1) * batchSize).map((i) => examples[i]);
    const rng = streamFor(o.seed, 'augment', epoch, b);
    const augs = chosen.map(() =>
      o.augment ? drawAugmentation(rng, o.base, o.input, o.flip, o.augmentation) : centreAugmentation(o.base, o.input),
    );
    return prepareBatch(chosen, augs, o);
  };
  yield* ahead(startBatch, total, make, depth);
}

/** Validation batches in order, centre crops, no augmentation. */
export async function* validationBatches(
  examples: Example[],
  batchSize: number,
  o: PipelineOptions,
  depth = 2,
): AsyncGenerator<Batch> {
  const make = (b: number) => {
    const chosen = examples.slice(b * batchSize, (b + 1) * batchSize);
    return prepareBatch(
      chosen,
      chosen.map(() => centreAugmentation(o.base, o.input)),
      o,
    );
  };
  yield* ahead(0, batchCount(examples.length, batchSize), make, depth);
}

async function* ahead(
  start: number,
  end: number,
  make: (b: number) => Promise<Batch>,
  depth: number,
): AsyncGenerator<Batch> {
  const pending: Promise<Batch>[] = [];
  let next = start;
  const fill = () => {
    while (pending.length < depth && next < end) {
      const p = make(next++);
      p.catch(() => undefined); // awaited below; avoids an unhandled rejection while queued
      pending.push(p);
    }
  };
  fill();
  while (pending.length > 0) {
    const batch = await pending.shift()!;
    fill();
    yield batch;
  }
}
