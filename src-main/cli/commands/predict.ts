// `deeppose predict`: a saved model over a folder or list of images, written as a reference
// list or COCO keypoint results, with the inference timing the reference work reported.
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { backendNames, type BackendName } from '../../../src-shared/training/config';
import { DENSE_WEIGHTS, type DenseWeights, type PredictItem } from '../../../src-shared/training/protocol';
import { StudioError } from '../../../src-shared/api/define';
import { forkLauncher } from '../../core/worker/worker-launcher';
import { itemsForPaths, listInputImages } from '../../core/predictions/image-sources';
import { modelFromPath } from '../../core/predictions/model-location';
import { startPredictionWorker } from '../../core/predictions/prediction-host';
import {
  writePredictions,
  type ExportedPrediction,
  type PredictionFormat,
} from '../../core/predictions/prediction-exports';
import { applyThreadsOption, threadsOption, threadsUsage } from '../threads-option';
import { confidenceSummary } from '../confidence-summary';
import { checkWriteTarget } from '../../core/files/path-policy';
import { admitItems } from '../../core/predictions/admit-items';
import { resolve } from 'node:path';
import { readListLabels, truthOf, type ListLabels } from '../../core/predictions/labeled-list';
import { readModelEvaluation, skeletonForJoints, type ModelEvaluation } from '../../core/metrics/model-evaluation';
import { poseReport } from '../../core/metrics/pose-report';
import { predictMeanPose, viewOf } from '../../core/metrics/mean-pose-baseline';
import { reportLines } from '../metrics-table';

/** The labeled list's figures: every stage and the mean-pose baseline (when the model's run kept its mean pose), per joint. */
function labeledScore(
  items: { imagePath: string }[],
  scored: { stageJoints: [number, number][][]; width: number; height: number }[],
  labels: ListLabels,
  evaluation: ModelEvaluation | null,
): string[] {
  const done = items.flatMap((item, i) => (scored[i].stageJoints.length && labels.has(item.imagePath) ? [i] : []));
  if (done.length === 0) return ['the list has labels, but none of its pictures was predicted: nothing to score'];
  const truth = done.map((i) => truthOf(labels.get(items[i].imagePath)!, scored[i].width, scored[i].height));
  const skeleton = evaluation?.skeleton ?? skeletonForJoints(truth[0].length);
  const stages = scored[done[0]].stageJoints.map((_, s) => done.map((i) => scored[i].stageJoints[s]));
  const views = done.map((i) => viewOf({ box: null, width: scored[i].width, height: scored[i].height }));
  const baseline = evaluation ? predictMeanPose(evaluation.meanPose, views) : null;
  const lines = reportLines(poseReport({ skeleton, truth, stages, baseline }), `labeled list, ${done.length} pictures`);
  if (!evaluation)
    lines.push(
      "mean-pose baseline: n/a (no evaluation.json in the model's run folder: it keeps the training set's mean pose)",
    );
  return lines;
}
import { detectPeople, itemsForDetections } from '../../core/predictions/person-detection';
import { poseModelsDir } from '../../core/suggest/pose-model-package';
import { untilDoneOrInterrupted } from '../interruptible';

const BAR_WIDTH = 30;

/** A bar redrawn in place on a terminal; elsewhere a line at every tenth of the way. */
function progressReporter(total: number): { update(done: number, imagesPerSecond: number): void; end(): void } {
  const tty = process.stdout.isTTY === true;
  let lastTenth = -1;
  return {
    update(done, imagesPerSecond) {
      const text = `${done}/${total} images · ${imagesPerSecond.toFixed(1)} img/s`;
      if (tty) {
        const filled = Math.round((BAR_WIDTH * done) / Math.max(1, total));
        process.stdout.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${text}`);
        return;
      }
      const tenth = Math.floor((10 * done) / Math.max(1, total));
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      process.stdout.write(`predict: ${text}\n`);
    },
    end() {
      if (tty) process.stdout.write('\n');
    },
  };
}

export const predictCommand: Command = {
  usage: [
    'deeppose predict --model PATH --input FOLDER_OR_LIST --out FILE [--overwrite] [--format csv|coco|scores] [--no-flip-check] [--dense-weights float32|int8] [--backend B] [--threads N]',
    '',
    '  --model PATH     a model folder (model.json), a checkpoint folder, or a run folder (its final model, else its newest checkpoint)',
    '  --input PATH     a folder of images (searched recursively), one image, or a list with one image path per line (first field)',
    '  --out FILE       where to write the predictions; written whole or not at all',
    '  --overwrite      replace FILE if it exists (otherwise an existing file is refused)',
    '  --format F       csv (reference list: path,x0,y0,v0,...), coco (keypoint results JSON, with the confidence proxies as extra fields)',
    '                   or scores (path, flip disagreement, last correction, per-joint flip disagreement); default from FILE (.json = coco)',
    "  --no-flip-check  skip predicting each picture's mirror image (saves up to half the time; no flip disagreement then)",
    '  --dense-weights W  float32 (default: as trained) or int8: the hidden dense layers read as 8-bit codes, about a third',
    '                   faster per picture on onnx-cpu; joints move by a fraction of a pixel (other backends ignore it)',
    `  --backend B      auto (default: the model's training choice) or one of ${backendNames.join(', ')}`,
    "  --detect-people  find the people on each image with the built-in pose model's detector and predict each through",
    '                   its own crop (one row per person; an image with nobody found is predicted whole)',
    '  --models DIR     with --detect-people: the pose model folder (default: the installed @vladmandic/human)',
    threadsUsage,
  ].join('\n'),
  options: {
    model: { type: 'string' },
    input: { type: 'string' },
    out: { type: 'string' },
    overwrite: { type: 'boolean' },
    format: { type: 'string' },
    backend: { type: 'string' },
    'no-flip-check': { type: 'boolean' },
    'dense-weights': { type: 'string' },
    'detect-people': { type: 'boolean' },
    models: { type: 'string' },
    ...threadsOption,
  },
  async run(values, positionals) {
    if (positionals.length)
      throw new UsageError(`unexpected argument '${positionals[0]}' (name the images with --input)`);
    // Checked before any work: the same output rule as every writer (no system tree, no project bookkeeping, no existing file without --overwrite).
    const out = await checkWriteTarget(requireString(values, 'out'), { overwrite: values.overwrite === true });
    const format = (values.format as string | undefined) ?? (out.toLowerCase().endsWith('.json') ? 'coco' : 'csv');
    if (format !== 'csv' && format !== 'coco' && format !== 'scores')
      throw new UsageError(`--format must be csv, coco or scores, got '${format}'`);
    const backendOption = values.backend as string | undefined;
    if (
      backendOption !== undefined &&
      backendOption !== 'auto' &&
      !(backendNames as readonly string[]).includes(backendOption)
    ) {
      throw new UsageError(`--backend must be auto or one of ${backendNames.join(', ')}, got '${backendOption}'`);
    }
    const denseWeights = (values['dense-weights'] as string | undefined) ?? 'float32';
    if (!(DENSE_WEIGHTS as readonly string[]).includes(denseWeights))
      throw new UsageError(`--dense-weights must be ${DENSE_WEIGHTS.join(' or ')}, got '${denseWeights}'`);
    applyThreadsOption(values);
    const location = modelFromPath(requireString(values, 'model'));
    const input = requireString(values, 'input');
    // Inadmissible images (too large, a name that lies about the format, too many bytes decoded) are skipped before the worker decodes anything.
    const { admitted, skipped } = await admitItems(itemsForPaths(null, await listInputImages(input)));
    for (const { imagePath, reason } of skipped) console.error(`deeppose predict: skipped ${imagePath}: ${reason}`);
    let items: PredictItem[] = admitted;
    const detect = values['detect-people'] === true;
    if (detect) {
      const paths = admitted.map((item) => item.imagePath);
      items = itemsForDetections(
        paths,
        await detectPeople(forkLauncher, paths, poseModelsDir((values.models as string | undefined) ?? null)),
      );
      console.log(`deeppose predict: ${items.filter((i) => i.box).length} people found on ${paths.length} images`);
    }
    // A reference list with joint columns is labeled: its predictions are scored at the end (one person per row, so not with --detect-people).
    const evaluation = readModelEvaluation(location.modelDir);
    const labels = detect
      ? null
      : await readListLabels(resolve(input), location.joints ?? evaluation?.skeleton.joints.length ?? 14);
    const scored: { stageJoints: [number, number][][]; width: number; height: number }[] = items.map(() => ({
      stageJoints: [],
      width: 0,
      height: 0,
    }));
    const backend = (backendOption as BackendName | 'auto' | undefined) ?? location.backend;

    const flipCheck = values['no-flip-check'] !== true;
    // The mirror image's joints are matched back through the model's left/right pairs, which its training config holds.
    if (flipCheck && !location.flipPairs)
      console.error(
        `deeppose predict: no training config beside ${location.modelDir}, so its left/right joints are unknown: no flip check`,
      );
    const flipPairs = flipCheck ? location.flipPairs : null;

    const rows: (ExportedPrediction | null)[] = items.map(() => null);
    const progress = progressReporter(items.length);
    const request = {
      modelDir: location.modelDir,
      items,
      backend,
      cropScale: location.cropScale,
      flipCheck: flipPairs ? { flipPairs } : null,
      denseWeights: denseWeights as DenseWeights,
    };
    const handle = startPredictionWorker(forkLauncher, request, (event) => {
      if (event.type === 'prediction') {
        rows[event.index] = {
          imagePath: items[event.index].imagePath,
          imageId: null,
          joints: event.joints,
          confidence: event.confidence,
        };
        scored[event.index] = { stageJoints: event.stageJoints, width: event.width, height: event.height };
      } else if (event.type === 'predict-skipped')
        console.error(`deeppose predict: skipped ${items[event.index].imagePath}: ${event.reason}`);
      else if (event.type === 'predict-progress') progress.update(event.done, event.imagesPerSecond);
    });
    // Ctrl-C on a terminal reaches the worker too; either way nothing is written.
    const { end, interrupted } = await untilDoneOrInterrupted(handle);
    progress.end();
    if (interrupted || (end.type === 'predict-finished' && end.stopped))
      throw new StudioError('cancelled', `interrupted; ${out} was not written`);
    if (end.type === 'failed') throw new StudioError('internal', end.error);
    const written = await writePredictions(
      rows.filter((r): r is ExportedPrediction => r !== null),
      format as PredictionFormat,
      out,
    );
    const timing = end.msPerImage
      ? `mean ${end.msPerImage.mean.toFixed(2)} ms/image, std ${end.msPerImage.std.toFixed(2)} ms`
      : 'no image was predicted';
    console.log(
      `predicted ${end.predicted} of ${items.length} images on ${end.backend}${end.denseWeights === 'int8' ? ' with 8-bit dense weights' : ''}: ${timing}`,
    );
    for (const line of confidenceSummary(
      rows.filter((r): r is ExportedPrediction => r !== null),
      end.flipMsPerImage,
    ))
      console.log(line);
    if (labels) for (const line of labeledScore(items, scored, labels, evaluation)) console.log(line);
    console.log(`wrote ${written.path} (${format}, ${written.count} predictions)`);
    return 0;
  },
};
