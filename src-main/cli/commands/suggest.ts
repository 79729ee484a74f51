// `deeppose suggest`: the built-in pretrained pose model over a folder or list of images,
// one record per detected person on the LSP-14 skeleton, with the time per image: the core's
// 'suggestions.toFile' task.
import { resolve } from 'node:path';
import type { Command } from '../command';
import { optionalNumber, requireString, UsageError } from '../command';
import { DEFAULT_PERSON_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD } from '../../../src-shared/domain/suggestion';
import { SUGGEST_BACKENDS, type SuggestBackend } from '../../../src-shared/training/suggest-protocol';
import type { FileSuggestionReport } from '../../../src-shared/api/file-jobs.contract';
import { withStudio } from '../studio-client';
import { followTask } from '../task-follower';

function fraction(values: Record<string, unknown>, name: string, fallback: number): number {
  const value = optionalNumber(values, name) ?? fallback;
  if (value < 0 || value > 1) throw new UsageError(`--${name} must lie between 0 and 1, got ${value}`);
  return value;
}

export const suggestCommand: Command = {
  usage: [
    'deeppose suggest --input FOLDER_OR_LIST --out FILE [--format csv|coco] [--threshold T] [--person-threshold P] [--overwrite]',
    '',
    '  --input PATH          a folder of images (searched recursively), one image, or a list with one image path per line',
    '  --out FILE            where to write the suggestions; written whole or not at all',
    '  --format F            csv (reference list, one row per person, unplaced joints 0,0,0) or coco (annotations with',
    '                        score and keypoint_scores); default from FILE (.json = coco)',
    `  --threshold T         joints the model scores below T stay unplaced (default ${DEFAULT_SUGGEST_THRESHOLD})`,
    `  --person-threshold P  people detected with a score below P are left out (default ${DEFAULT_PERSON_THRESHOLD})`,
    `  --backend B           auto (default: wasm, else cpu), ${SUGGEST_BACKENDS.join(' or ')}`,
    '  --models DIR          a folder holding centernet.json and movenet-lightning.json (default: the installed @vladmandic/human)',
    '  --overwrite           replace FILE if it exists (otherwise an existing file is refused)',
    '',
    "The skeleton is LSP-14: COCO keypoints map directly where the joint exists; neck = the shoulders' midpoint;",
    'head top = the head centre moved one head length away from the neck (README, "Suggested joints").',
  ].join('\n'),
  options: {
    input: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    threshold: { type: 'string' },
    'person-threshold': { type: 'string' },
    backend: { type: 'string' },
    models: { type: 'string' },
    home: { type: 'string' },
    overwrite: { type: 'boolean' },
  },
  async run(values, positionals) {
    if (positionals.length)
      throw new UsageError(`unexpected argument '${positionals[0]}' (name the images with --input)`);
    const out = requireString(values, 'out');
    const format = (values.format as string | undefined) ?? (out.toLowerCase().endsWith('.json') ? 'coco' : 'csv');
    if (format !== 'csv' && format !== 'coco') throw new UsageError(`--format must be csv or coco, got '${format}'`);
    const backend = (values.backend as string | undefined) ?? 'auto';
    if (backend !== 'auto' && !(SUGGEST_BACKENDS as readonly string[]).includes(backend))
      throw new UsageError(`--backend must be auto, ${SUGGEST_BACKENDS.join(' or ')}, got '${backend}'`);
    const threshold = fraction(values, 'threshold', DEFAULT_SUGGEST_THRESHOLD);
    const personThreshold = fraction(values, 'person-threshold', DEFAULT_PERSON_THRESHOLD);
    const target = resolve(out);
    return withStudio(values.home as string | undefined, async (studio) => {
      const { taskId } = await studio.call('suggestions.toFile', {
        input: resolve(requireString(values, 'input')),
        out: target,
        overwrite: values.overwrite === true,
        format,
        threshold,
        personThreshold,
        backend: backend as SuggestBackend | 'auto',
        poseModels: values.models === undefined ? undefined : resolve(String(values.models)),
      });
      // A line every ten images and at the end (updates arrive at most every 100 ms, so by the tens they pass).
      let shown = 0;
      const line = (done: number, total: number) => {
        shown = done;
        process.stdout.write(`suggest: ${done}/${total} images\n`);
      };
      const report = (await followTask(studio, taskId, {
        onProgress: ({ current, total }) => {
          if (total !== null && Math.floor(current / 10) > Math.floor(shown / 10))
            line(current - (current % 10), total);
        },
        cancelled: `interrupted; ${target} was not written`,
      })) as FileSuggestionReport;
      if (report.images > 0 && shown !== report.images) line(report.images, report.images);
      for (const { imagePath, reason } of report.skipped)
        console.error(`deeppose suggest: skipped ${imagePath}: ${reason}`);
      const started = report.backend ? `${report.backend}, model loaded in ${(report.loadMs ?? 0).toFixed(0)} ms` : '';
      const timing = report.msPerImage
        ? `mean ${report.msPerImage.mean.toFixed(0)} ms/image, std ${report.msPerImage.std.toFixed(0)} ms`
        : 'no image was timed';
      console.log(
        `suggested ${report.persons} people on ${report.suggested} of ${report.images} images (${started}): ${timing}`,
      );
      console.log(`wrote ${report.path} (${format})`);
      return 0;
    });
  },
};
