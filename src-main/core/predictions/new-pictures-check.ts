// What a user would get on pictures the model has never seen: draws a folder of new sample
// pictures (their exact joints known, none of them in the project), predicts them with the
// whole cascade exactly as a prediction job over a folder does (no labels, no boxes: each
// picture is seen whole), and scores every stage and the mean-pose baseline against the truth.
import { join } from 'node:path';
import type { BackendName } from '../../../src-shared/training/config';
import { generateSample } from '../sample/generate-sample';
import { startPredictionWorker } from './prediction-host';
import type { WorkerLauncher } from '../worker/worker-launcher';
import { evaluatePoses } from '../metrics/evaluate-poses';
import { meanPoseBaseline, type PoseInView, posesInView } from '../metrics/mean-pose-baseline';
import type { Joints } from '../pose/pose-joints';

export interface NewPicturesScore {
  folder: string;
  count: number;
  /** PCK@0.2 after each cascade stage, stage 1 first. */
  stagePck: (number | null)[];
  baselinePck: number | null;
  meanErrorPx: number | null;
  backend: BackendName;
}

export async function scoreOnNewPictures(options: {
  launcher: WorkerLauncher;
  modelDir: string;
  cropScale: number;
  backend: BackendName | 'auto';
  /** Where the new pictures are drawn (an empty or new folder). */
  folder: string;
  count: number;
  seed: number;
  /** The training set, for the baseline's mean pose. */
  train: PoseInView[];
  torsoPairs?: [number, number][];
}): Promise<NewPicturesScore> {
  const sample = await generateSample({ outDir: options.folder, count: options.count, seed: options.seed });
  const truth: Joints[] = sample.examples.map((e) => e.joints);
  const stageJoints: [number, number][][][] = [];
  const handle = startPredictionWorker(
    options.launcher,
    {
      modelDir: options.modelDir,
      items: sample.examples.map((e) => ({ imagePath: e.imagePath, box: null })),
      backend: options.backend,
      cropScale: options.cropScale,
    },
    (event) => {
      if (event.type === 'prediction') stageJoints[event.index] = event.stageJoints;
    },
  );
  const end = await handle.done;
  if (end.type === 'failed') throw new Error(`predicting ${join(options.folder, 'images')}: ${end.error}`);
  const scored = sample.examples.flatMap((_, i) => (stageJoints[i] ? [i] : []));
  const stages = stageJoints[scored[0]]?.length ?? 0;
  const evaluation = { torsoPairs: options.torsoPairs };
  const atStage = (s: number) =>
    evaluatePoses(
      scored.map((i) => stageJoints[i][s].map(([x, y]): [number, number, number] => [x, y, 2])),
      scored.map((i) => truth[i]),
      evaluation,
    );
  const last = stages > 0 ? atStage(stages - 1) : null;
  const baseline = meanPoseBaseline(options.train, posesInView(scored.map((i) => sample.examples[i])), evaluation);
  return {
    folder: join(options.folder, 'images'),
    count: scored.length,
    stagePck: Array.from({ length: stages }, (_, s) => atStage(s).pck.mean),
    baselinePck: baseline.metrics.pck.mean,
    meanErrorPx: last?.meanPixelError.mean ?? null,
    backend: end.backend,
  };
}
