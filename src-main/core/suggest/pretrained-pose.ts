// The built-in pretrained pose model: CenterNet finds people (COCO class 0) in the whole
// image, then MoveNet Lightning places 17 COCO keypoints in a square crop around each person.
// Both are TensorFlow.js graph models read from a local folder; coordinates come back in the
// image's pixels.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { POSE_MODEL_FILES } from './pose-model-package';

/** A detected person with COCO-17 keypoints as [x, y, score] in image pixels. */
export interface CocoPerson {
  box: [number, number, number, number];
  score: number;
  keypoints: [number, number, number][];
}

const DETECTOR_SIDE = 512;
const POSE_SIDE = 192;
/** The pose crop's side as a multiple of the box's longer side: MoveNet expects some margin. */
const CROP_MARGIN = 1.25;
const NMS_IOU = 0.5;
const MAX_PEOPLE = 10;

/** Reads a graph model's model.json and its weight shards from disk (tfjs' file loader needs tfjs-node). */
async function loadGraphModelFromFolder(dir: string, stem: string): Promise<tf.GraphModel> {
  const json = JSON.parse(readFileSync(join(dir, `${stem}.json`), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string;
    signature?: object;
  };
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dir, p))));
  const weights = Buffer.concat(shards);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    signature: json.signature,
  };
  return tf.loadGraphModel({ load: () => Promise.resolve(artifacts) });
}

function iou(a: number[], b: number[]): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h);
}

/** Greedy non-maximum suppression over boxes sorted by score. */
export function suppressOverlaps<T extends { box: [number, number, number, number]; score: number }>(
  found: T[],
  maxIou = NMS_IOU,
): T[] {
  const kept: T[] = [];
  for (const d of [...found].sort((a, b) => b.score - a.score))
    if (kept.every((k) => iou(k.box, d.box) <= maxIou)) kept.push(d);
  return kept;
}

export class PretrainedPoseModel {
  private constructor(
    private readonly detector: tf.GraphModel,
    private readonly pose: tf.GraphModel,
  ) {}

  static async load(modelsDir: string): Promise<PretrainedPoseModel> {
    return new PretrainedPoseModel(
      await loadGraphModelFromFolder(modelsDir, POSE_MODEL_FILES.detector),
      await loadGraphModelFromFolder(modelsDir, POSE_MODEL_FILES.pose),
    );
  }

  /** Everyone the detector finds at `personThreshold` or above, with keypoints. */
  async run(
    imagePath: string,
    personThreshold: number,
  ): Promise<{ width: number; height: number; people: CocoPerson[] }> {
    const { data, info } = await sharp(imagePath)
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    const image = tf.tensor3d(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      [height, width, 3],
      'int32',
    );
    try {
      const boxes = await this.detect(image, width, height, personThreshold);
      const people: CocoPerson[] = [];
      for (const found of boxes) people.push({ ...found, keypoints: await this.keypoints(image, found.box) });
      return { width, height, people };
    } finally {
      image.dispose();
    }
  }

  private async detect(image: tf.Tensor3D, width: number, height: number, threshold: number) {
    const out = tf.tidy(() => {
      const input = tf.image.resizeBilinear(image.toFloat().expandDims(0) as tf.Tensor4D, [
        DETECTOR_SIDE,
        DETECTOR_SIDE,
      ]);
      return this.detector.execute(input, ['tower_0/detections']) as tf.Tensor;
    });
    const rows = ((await out.array()) as number[][][])[0];
    out.dispose();
    const sx = width / DETECTOR_SIDE;
    const sy = height / DETECTOR_SIDE;
    const people = rows
      .filter(([, , , , score, cls]) => cls === 0 && score >= threshold)
      .map(([x1, y1, x2, y2, score]) => {
        const left = Math.max(0, x1 * sx);
        const top = Math.max(0, y1 * sy);
        const box: [number, number, number, number] = [
          left,
          top,
          Math.min(width, x2 * sx) - left,
          Math.min(height, y2 * sy) - top,
        ];
        return { box, score };
      })
      .filter((p) => p.box[2] > 1 && p.box[3] > 1);
    return suppressOverlaps(people).slice(0, MAX_PEOPLE);
  }

  /** MoveNet on a square crop centred on the box (padded with black outside the image). */
  private async keypoints(
    image: tf.Tensor3D,
    box: [number, number, number, number],
  ): Promise<[number, number, number][]> {
    const [height, width] = image.shape;
    const side = Math.max(box[2], box[3]) * CROP_MARGIN;
    const x0 = box[0] + box[2] / 2 - side / 2;
    const y0 = box[1] + box[3] / 2 - side / 2;
    const out = tf.tidy(() => {
      // cropAndResize takes normalised [y1, x1, y2, x2]; outside the image it fills with 0.
      const crop = tf.image.cropAndResize(
        image.toFloat().expandDims(0) as tf.Tensor4D,
        [[y0 / (height - 1), x0 / (width - 1), (y0 + side) / (height - 1), (x0 + side) / (width - 1)]],
        [0],
        [POSE_SIDE, POSE_SIDE],
        'bilinear',
        0,
      );
      return this.pose.execute(crop.round().toInt()) as tf.Tensor;
    });
    const values = await out.data();
    out.dispose();
    return Array.from(
      { length: 17 },
      (_, k) =>
        [x0 + values[k * 3 + 1] * side, y0 + values[k * 3] * side, values[k * 3 + 2]] as [number, number, number],
    );
  }

  dispose(): void {
    this.detector.dispose();
    this.pose.dispose();
  }
}
