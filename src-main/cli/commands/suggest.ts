// `deeppose suggest`: the built-in pretrained pose model over a folder or list of images,
// one record per detected person on the LSP-14 skeleton, with the time per image.
import { resolve } from 'node:path';
import type { Command } from '../command';
import { optionalNumber, requireString, UsageError } from '../command';
import { StudioError } from '../../../src-shared/api/define';
import { LSP14 } from '../../../src-shared/domain/skeleton';
import { DEFAULT_PERSON_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD } from '../../../src-shared/domain/suggestion';
import { SUGGEST_BACKENDS, type SuggestBackend } from '../../../src-shared/training/suggest-protocol';
import { checkWriteTarget } from '../../core/files/path-policy';
import { forkLauncher } from '../../core/worker/worker-launcher';
import { listInputImages } from '../../core/predictions/image-sources';
import { poseModelsDir } from '../../core/suggest/pose-model-package';
import { startSuggestWorker } from '../../core/suggest/suggest-host';
import { writeSuggestions, type SuggestedImage } from '../../core/suggest/suggestion-exports';
import { untilDoneOrInterrupted } from '../interruptible';

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
    const target = await checkWriteTarget(resolve(out), { overwrite: values.overwrite === true });
    // Checked here too, so a missing model is one line before any worker starts.
    const modelsDir = poseModelsDir((values.models as string | undefined) ?? null);
    const imagePaths = await listInputImages(requireString(values, 'input'));

    const found: (SuggestedImage | null)[] = imagePaths.map(() => null);
    let started = '';
    const handle = startSuggestWorker(
      forkLauncher,
      { modelsDir, imagePaths, threshold, personThreshold, backend: backend as SuggestBackend | 'auto' },
      (event) => {
        if (event.type === 'suggest-started')
          started = `${event.backend}, model loaded in ${event.loadMs.toFixed(0)} ms`;
        else if (event.type === 'suggestion')
          found[event.index] = {
            imagePath: imagePaths[event.index],
            width: event.width,
            height: event.height,
            persons: event.persons,
          };
        else if (event.type === 'suggest-skipped')
          console.error(`deeppose suggest: skipped ${imagePaths[event.index]}: ${event.reason}`);
        else if (event.type === 'suggest-progress' && (event.done === event.total || event.done % 10 === 0))
          process.stdout.write(`suggest: ${event.done}/${event.total} images\n`);
      },
    );
    const { end, interrupted } = await untilDoneOrInterrupted(handle);
    if (interrupted || (end.type === 'suggest-finished' && end.stopped))
      throw new StudioError('cancelled', `interrupted; ${target} was not written`);
    if (end.type === 'failed') throw new StudioError('internal', end.error);
    const images = found.filter((f): f is SuggestedImage => f !== null);
    const persons = await writeSuggestions(images, format, target, LSP14);
    const timing = end.msPerImage
      ? `mean ${end.msPerImage.mean.toFixed(0)} ms/image, std ${end.msPerImage.std.toFixed(0)} ms`
      : 'no image was timed';
    console.log(
      `suggested ${persons} people on ${end.suggested} of ${imagePaths.length} images (${started}): ${timing}`,
    );
    console.log(`wrote ${target} (${format})`);
    return 0;
  },
};
