// Jobs over files outside any project (src-shared/api/file-jobs.contract.ts): what `deeppose
// predict`, `suggest` and `sample` do, as tasks any door can start. Everything that can be refused
// (the output file, the model, the input list, the pose model) is checked before the task starts,
// so a bad call is one line and nothing runs.
import { basename, resolve } from 'node:path';
import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { TaskContext } from '../../tasks/task-manager';
import { StudioError } from '../../../../src-shared/api/define';
import type {
  FilePredictionReport,
  FileSuggestionReport,
  SampleReport,
  fileJobCalls,
} from '../../../../src-shared/api/file-jobs.contract';
import type { PredictItem } from '../../../../src-shared/training/protocol';
import { doubtOf, type ConfidenceProxies } from '../../../../src-shared/domain/confidence';
import { LSP14 } from '../../../../src-shared/domain/skeleton';
import { checkWriteTarget, writeRoots } from '../../files/path-policy';
import { requireReadable } from '../../files/read-access';
import { itemsForPaths, listInputImages } from '../../predictions/image-sources';
import { modelFromPath } from '../../predictions/model-location';
import { admitItems } from '../../predictions/admit-items';
import { startPredictionWorker } from '../../predictions/prediction-host';
import { writePredictions, type ExportedPrediction } from '../../predictions/prediction-exports';
import { detectPeople, itemsForDetections } from '../../predictions/person-detection';
import { readListLabels, truthOf } from '../../predictions/labeled-list';
import { readModelEvaluation, skeletonForJoints, type ModelEvaluation } from '../../metrics/model-evaluation';
import { poseReport } from '../../metrics/pose-report';
import {
  meanPoseBaseline,
  posesInView,
  predictMeanPose,
  viewOf,
  type PoseInView,
} from '../../metrics/mean-pose-baseline';
import { poseModelsDir } from '../../suggest/pose-model-package';
import { startSuggestWorker } from '../../suggest/suggest-host';
import { writeSuggestions, type SuggestedImage } from '../../suggest/suggestion-exports';
import { generateSample } from '../../sample/generate-sample';
import { createRng } from '../../sample/prng';

/** Pictures shown as the least confident. */
const LEAST_CONFIDENT_SHOWN = 3;

type Scored = { stageJoints: [number, number][][]; width: number; height: number };

/** Ends a worker job with its task: cancelling asks the worker to stop at its next image. */
function stopOnCancel(task: TaskContext, handle: { stop(): void }): void {
  if (task.signal.aborted) handle.stop();
  else task.signal.addEventListener('abort', () => handle.stop(), { once: true });
}

function doubtSummary(rows: { imagePath: string; confidence?: ConfidenceProxies }[]): FilePredictionReport['doubt'] {
  const scored = rows.flatMap((r) => {
    const doubt = r.confidence ? doubtOf(r.confidence) : null;
    return doubt === null ? [] : [{ name: basename(r.imagePath), doubt }];
  });
  if (scored.length === 0) return null;
  const sorted = scored.map((s) => s.doubt).sort((a, b) => a - b);
  return {
    what: rows.some((r) => r.confidence?.flip != null) ? 'flip disagreement' : 'last cascade correction',
    median: sorted[Math.floor((sorted.length - 1) / 2)],
    worst: [...scored]
      .sort((a, b) => b.doubt - a.doubt || a.name.localeCompare(b.name))
      .slice(0, LEAST_CONFIDENT_SHOWN),
  };
}

/** A labeled list's figures: every stage and the mean-pose baseline (when the model's run kept its mean pose), per joint. */
function labeledScore(
  items: { imagePath: string }[],
  scored: Scored[],
  labels: Map<string, [number, number, number][]>,
  evaluation: ModelEvaluation | null,
): NonNullable<FilePredictionReport['labeled']> {
  const done = items.flatMap((item, i) => (scored[i].stageJoints.length && labels.has(item.imagePath) ? [i] : []));
  if (done.length === 0)
    return {
      report: null,
      pictures: 0,
      note: 'the list has labels, but none of its pictures was predicted: nothing to score',
    };
  const truth = done.map((i) => truthOf(labels.get(items[i].imagePath)!, scored[i].width, scored[i].height));
  const skeleton = evaluation?.skeleton ?? skeletonForJoints(truth[0].length);
  const stages = scored[done[0]].stageJoints.map((_, s) => done.map((i) => scored[i].stageJoints[s]));
  const views = done.map((i) => viewOf({ box: null, width: scored[i].width, height: scored[i].height }));
  const baseline = evaluation ? predictMeanPose(evaluation.meanPose, views) : null;
  return {
    report: poseReport({ skeleton, truth, stages, baseline }),
    pictures: done.length,
    note: evaluation
      ? null
      : "mean-pose baseline: n/a (no evaluation.json in the model's run folder: it keeps the training set's mean pose)",
  };
}

export function fileJobHandlers(ctx: StudioContext): HandlersOf<typeof fileJobCalls> {
  const readable = (what: string) => (path: string) => requireReadable(ctx, what, path);
  const modelsDir = (given: string | undefined) => poseModelsDir(given ?? ctx.poseModelsDir ?? null);

  return {
    'predict.toFile': async (input) => {
      const out = await checkWriteTarget(input.out, { overwrite: input.overwrite, roots: writeRoots(ctx) });
      const location = modelFromPath(input.model);
      // Inadmissible images (too large, a name that lies about the format) are left out before the worker decodes anything.
      const { admitted, skipped } = await admitItems(
        itemsForPaths(null, await listInputImages(input.input)),
        readable('image'),
      );
      const detectorDir = input.detectPeople ? modelsDir(input.poseModels) : null;
      // The mirror image's joints are matched back through the model's left/right pairs, which its training config holds.
      const flipPairs = input.flipCheck ? location.flipPairs : null;
      const flipCheckOff =
        input.flipCheck && !flipPairs
          ? `no training config beside ${location.modelDir}, so its left/right joints are unknown: no flip check`
          : null;
      const { task } = ctx.tasks.start('predict', `Predict ${basename(input.input)}`, async (taskCtx) => {
        let items: PredictItem[] = admitted;
        if (detectorDir) {
          taskCtx.progress(0, null, 'finding people');
          const paths = admitted.map((item) => item.imagePath);
          items = itemsForDetections(paths, await detectPeople(ctx.launchWorker, paths, detectorDir));
        }
        taskCtx.throwIfCancelled();
        // A reference list with joint columns is labeled: scored at the end (one person per row, so not with detectPeople).
        const evaluation = readModelEvaluation(location.modelDir);
        const labels = detectorDir
          ? null
          : await readListLabels(resolve(input.input), location.joints ?? evaluation?.skeleton.joints.length ?? 14);
        const rows: (ExportedPrediction | null)[] = items.map(() => null);
        const scored: Scored[] = items.map(() => ({ stageJoints: [], width: 0, height: 0 }));
        const workerSkipped: { imagePath: string; reason: string }[] = [];
        taskCtx.progress(0, items.length, '');
        const handle = startPredictionWorker(
          ctx.launchWorker,
          {
            modelDir: location.modelDir,
            items,
            backend: input.backend ?? location.backend,
            cropScale: location.cropScale,
            flipCheck: flipPairs ? { flipPairs } : null,
            denseWeights: input.denseWeights,
          },
          (event) => {
            if (event.type === 'prediction') {
              const { imagePath } = items[event.index];
              rows[event.index] = { imagePath, imageId: null, joints: event.joints, confidence: event.confidence };
              scored[event.index] = { stageJoints: event.stageJoints, width: event.width, height: event.height };
            } else if (event.type === 'predict-skipped')
              workerSkipped.push({ imagePath: items[event.index].imagePath, reason: event.reason });
            else if (event.type === 'predict-progress')
              taskCtx.progress(event.done, items.length, `${event.imagesPerSecond.toFixed(1)} img/s`);
          },
        );
        stopOnCancel(taskCtx, handle);
        const end = await handle.done;
        if (taskCtx.signal.aborted || (end.type === 'predict-finished' && end.stopped))
          throw new StudioError('cancelled', `interrupted; ${out} was not written`);
        if (end.type === 'failed') throw new StudioError('internal', end.error);
        const kept = rows.filter((r): r is ExportedPrediction => r !== null);
        const written = await writePredictions(kept, input.format, out);
        const report: FilePredictionReport = {
          path: written.path,
          format: input.format,
          count: written.count,
          predicted: end.predicted,
          items: items.length,
          backend: end.backend,
          denseWeights: end.denseWeights,
          msPerImage: end.msPerImage,
          flipMsPerImage: end.flipMsPerImage,
          skipped: workerSkipped,
          peopleFound: detectorDir ? items.filter((item) => item.box).length : null,
          doubt: doubtSummary(kept),
          labeled: labels ? labeledScore(items, scored, labels, evaluation) : null,
        };
        return report;
      });
      return { taskId: task.id, items: admitted.length, skipped, flipCheckOff };
    },

    'suggestions.toFile': async (input) => {
      const target = await checkWriteTarget(input.out, { overwrite: input.overwrite, roots: writeRoots(ctx) });
      // Checked here, so a missing model is one line before any worker starts.
      const dir = modelsDir(input.poseModels);
      // Paths a list names are judged as the door judges the caller's (never a system tree; on serve, only allowed places).
      const listed = await listInputImages(input.input);
      const refused: { imagePath: string; reason: string }[] = [];
      const imagePaths: string[] = [];
      for (const path of listed) {
        const reason = await requireReadable(ctx, 'image', path).then(
          () => null,
          (error: Error) => error.message,
        );
        if (reason === null) imagePaths.push(path);
        else refused.push({ imagePath: path, reason });
      }
      const { task } = ctx.tasks.start('suggest', `Suggest ${basename(input.input)}`, async (taskCtx) => {
        const found: (SuggestedImage | null)[] = imagePaths.map(() => null);
        const skipped = [...refused];
        let started: { backend: string; loadMs: number } | null = null;
        taskCtx.progress(0, imagePaths.length, 'loading the pose model');
        const handle = startSuggestWorker(
          ctx.launchWorker,
          {
            modelsDir: dir,
            imagePaths,
            threshold: input.threshold,
            personThreshold: input.personThreshold,
            backend: input.backend,
          },
          (event) => {
            if (event.type === 'suggest-started') started = { backend: event.backend, loadMs: event.loadMs };
            else if (event.type === 'suggestion')
              found[event.index] = {
                imagePath: imagePaths[event.index],
                width: event.width,
                height: event.height,
                persons: event.persons,
              };
            else if (event.type === 'suggest-skipped')
              skipped.push({ imagePath: imagePaths[event.index], reason: event.reason });
            else if (event.type === 'suggest-progress') taskCtx.progress(event.done, event.total, '');
          },
        );
        stopOnCancel(taskCtx, handle);
        const end = await handle.done;
        if (taskCtx.signal.aborted || (end.type === 'suggest-finished' && end.stopped))
          throw new StudioError('cancelled', `interrupted; ${target} was not written`);
        if (end.type === 'failed') throw new StudioError('internal', end.error);
        const images = found.filter((f): f is SuggestedImage => f !== null);
        const persons = await writeSuggestions(images, input.format, target, LSP14);
        const { backend = null, loadMs = null } = (started ?? {}) as { backend?: string; loadMs?: number };
        const report: FileSuggestionReport = {
          path: target,
          format: input.format,
          persons,
          suggested: end.suggested,
          images: imagePaths.length,
          backend,
          loadMs,
          msPerImage: end.msPerImage,
          skipped,
        };
        return report;
      });
      return { taskId: task.id, images: imagePaths.length };
    },

    'samples.generate': ({ folder, count, seed, width, height }) => {
      const { task } = ctx.tasks.start('sample', `Sample ${count} people`, async (taskCtx) => {
        const sample = await generateSample({
          outDir: folder,
          count,
          seed,
          width,
          height,
          signal: taskCtx.signal,
          onProgress: (done, total) => taskCtx.progress(done, total, 'drawing'),
        });
        // What a model must beat: the mean pose of a seeded 80 % split, scored on the rest.
        const rng = createRng(seed);
        const train: PoseInView[] = [];
        const held: PoseInView[] = [];
        for (const pose of posesInView(sample.examples)) (rng.next() < 0.8 ? train : held).push(pose);
        let baseline: SampleReport['baseline'] = null;
        if (train.length > 0 && held.length > 0) {
          const { metrics } = meanPoseBaseline(train, held);
          baseline = {
            fit: train.length,
            scored: held.length,
            alpha: metrics.pck.alpha,
            pck: metrics.pck.mean,
            pcp: metrics.pcp.mean,
            meanErrorPx: metrics.meanPixelError.mean,
          };
        }
        const report: SampleReport = {
          folder: sample.outDir,
          csvPath: sample.csvPath,
          cocoPath: sample.cocoPath,
          count: sample.count,
          joints: sample.joints,
          baseline,
        };
        return report;
      });
      return { taskId: task.id };
    },
  };
}
