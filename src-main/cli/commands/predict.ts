// `deeppose predict`: a saved model over a folder or list of images, written as a reference
// list or COCO keypoint results, with the inference timing the reference work reported. The work
// is the core's 'predict.toFile' task; this module reads flags and prints what it reports.
import { resolve } from 'node:path';
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { backendNames, type BackendName } from '../../../src-shared/training/config';
import { DENSE_WEIGHTS, type DenseWeights } from '../../../src-shared/training/protocol';
import type { FilePredictionReport } from '../../../src-shared/api/file-jobs.contract';
import { applyThreadsOption, threadsOption, threadsUsage } from '../threads-option';
import { confidenceSummary } from '../confidence-summary';
import { reportLines } from '../metrics-table';
import { withStudio } from '../studio-client';
import { followTask } from '../task-follower';

const BAR_WIDTH = 30;

/** A bar redrawn in place on a terminal; elsewhere a line at every tenth of the way. */
function progressReporter(total: number): { update(done: number, rate: string): void; end(): void } {
  const tty = process.stdout.isTTY === true;
  let lastTenth = -1;
  return {
    update(done, rate) {
      const text = `${done}/${total} images${rate ? ` · ${rate}` : ''}`;
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
    home: { type: 'string' },
    ...threadsOption,
  },
  async run(values, positionals) {
    if (positionals.length)
      throw new UsageError(`unexpected argument '${positionals[0]}' (name the images with --input)`);
    const format =
      (values.format as string | undefined) ??
      (requireString(values, 'out').toLowerCase().endsWith('.json') ? 'coco' : 'csv');
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
    const out = resolve(requireString(values, 'out'));
    const input = resolve(requireString(values, 'input'));
    const model = resolve(requireString(values, 'model'));
    return withStudio(values.home as string | undefined, async (studio) => {
      const started = await studio.call('predict.toFile', {
        model,
        input,
        out,
        overwrite: values.overwrite === true,
        format,
        backend: backendOption as BackendName | 'auto' | undefined,
        flipCheck: values['no-flip-check'] !== true,
        denseWeights: denseWeights as DenseWeights,
        detectPeople: values['detect-people'] === true,
        poseModels: values.models === undefined ? undefined : resolve(String(values.models)),
      });
      // Inadmissible images (too large, a name that lies about the format) were skipped before the worker decoded anything.
      for (const { imagePath, reason } of started.skipped)
        console.error(`deeppose predict: skipped ${imagePath}: ${reason}`);
      if (started.flipCheckOff) console.error(`deeppose predict: ${started.flipCheckOff}`);
      let progress: ReturnType<typeof progressReporter> | null = null;
      // Ctrl-C on a terminal cancels the task, which stops the worker; either way nothing is written.
      const report = (await followTask(studio, started.taskId, {
        onProgress: (task) => {
          if (task.total === null) return;
          progress ??= progressReporter(task.total);
          progress.update(task.current, task.message);
        },
        cancelled: `interrupted; ${out} was not written`,
      }).finally(() => progress?.end())) as FilePredictionReport;
      for (const { imagePath, reason } of report.skipped)
        console.error(`deeppose predict: skipped ${imagePath}: ${reason}`);
      if (report.peopleFound !== null)
        console.log(`deeppose predict: ${report.peopleFound} people found on ${started.items} images`);
      const timing = report.msPerImage
        ? `mean ${report.msPerImage.mean.toFixed(2)} ms/image, std ${report.msPerImage.std.toFixed(2)} ms`
        : 'no image was predicted';
      console.log(
        `predicted ${report.predicted} of ${report.items} images on ${report.backend}${report.denseWeights === 'int8' ? ' with 8-bit dense weights' : ''}: ${timing}`,
      );
      for (const line of confidenceSummary(report.doubt, report.flipMsPerImage)) console.log(line);
      if (report.labeled) {
        if (report.labeled.report)
          for (const line of reportLines(report.labeled.report, `labeled list, ${report.labeled.pictures} pictures`))
            console.log(line);
        if (report.labeled.note) console.log(report.labeled.note);
      }
      console.log(`wrote ${report.path} (${format}, ${report.count} predictions)`);
      return 0;
    });
  },
};
