// Validation: the loss over the whole val set (centre crops, no dropout) and PCK@0.2 of the
// predictions mapped back to image pixels, scored by the metrics module.
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { Example, ValidationSample } from '../../../src-shared/training/protocol';
import { pck } from '../metrics/detection-rate';
import { validationPckOptions } from '../metrics/validation-pck';
import type { Joints } from '../pose/pose-joints';
import { validationBatches, type PipelineOptions } from './data/batches';
import { imageToInput, predictionToImage } from '../pose/crop-geometry';
import { decodeImage } from '../pose/load-crop';
import { jointWeight } from '../pose/joint-weight';
import { predictCascade, type CascadeRule, type StageNet } from '../inference/cascade';

export interface ValidationResult {
  loss: number;
  pck: number | null;
  samples: ValidationSample[];
  /** stageJoints[s][i]: example i's joints after stage s+1. */
  stageJoints: [number, number][][][];
}

/** How many validation images each validation event shows on the dashboard. */
const PREVIEW_COUNT = 4;

export async function validate(
  model: tf.LayersModel,
  examples: Example[],
  config: TrainingConfig,
  pipeline: PipelineOptions,
): Promise<ValidationResult> {
  let squaredSum = 0;
  let counted = 0;
  const predictions: Joints[] = [];
  for await (const batch of validationBatches(examples, config.batchSize, pipeline)) {
    const predicted = tf.tidy(
      () => model.predict(tf.tensor4d(batch.pixels, [batch.size, pipeline.input, pipeline.input, 3])) as tf.Tensor2D,
    );
    const values = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < batch.size * config.joints; i++) {
      const dx = values[2 * i] - batch.targets[2 * i];
      const dy = values[2 * i + 1] - batch.targets[2 * i + 1];
      squaredSum += batch.weights[i] * (dx * dx + dy * dy);
      counted += batch.weights[i];
    }
    batch.geometries.forEach((geometry, i) => {
      const output = values.subarray(i * config.joints * 2, (i + 1) * config.joints * 2);
      predictions.push(predictionToImage(output, geometry).map(([x, y]) => [x, y, 2]));
    });
  }
  return scored(examples, predictions, squaredSum / Math.max(1, counted), config, [predictions.map(asPoints)]);
}

const asPoints = (joints: Joints | [number, number][]): [number, number][] => joints.map((j) => [j[0], j[1]]);

/**
 * Validation of a cascade's refinement stage: the whole cascade so far over each image, as a
 * prediction job runs it. The loss is the last stage's, over each joint in its own crop.
 */
export async function validateCascade(
  nets: StageNet[],
  examples: Example[],
  config: TrainingConfig,
  rule: CascadeRule,
  shouldStop: () => boolean = () => false,
): Promise<ValidationResult | null> {
  let squaredSum = 0;
  let counted = 0;
  const predictions: Joints[] = [];
  const stageJoints: [number, number][][][] = nets.map(() => []);
  for (const example of examples) {
    if (shouldStop()) return null;
    const { joints, last, stages } = await predictCascade(
      await decodeImage(example.imagePath),
      example.box,
      nets,
      rule,
    );
    predictions.push(joints.map(([x, y]) => [x, y, 2]));
    stages.forEach((s, k) => stageJoints[k].push(asPoints(s)));
    example.joints.forEach(([x, y, v], j) => {
      const w = jointWeight(v, config);
      if (w === 0) return;
      const { geometry: g, output } = last[j];
      const [tx, ty] = imageToInput([x, y], g).map((c) => c / g.input);
      const dx = output[0] - tx;
      const dy = output[1] - ty;
      squaredSum += w * (dx * dx + dy * dy);
      counted += w;
    });
  }
  return scored(examples, predictions, squaredSum / Math.max(1, counted), config, stageJoints);
}

function scored(
  examples: Example[],
  predictions: Joints[],
  loss: number,
  config: TrainingConfig,
  stageJoints: [number, number][][][],
): ValidationResult {
  const truth = examples.map((example) => example.joints);
  const score = pck(predictions, truth, validationPckOptions(config));
  const samples = examples.slice(0, PREVIEW_COUNT).map((example, i) => ({
    imagePath: example.imagePath,
    joints: predictions[i].map(([x, y]): [number, number] => [x, y]),
    truth: example.joints,
  }));
  return { loss, pck: score.mean, samples, stageJoints };
}
