// `deeppose import`: one dataset into a project's catalog (made first when the folder holds
// none), through the core's 'datasets.import' task, with progress lines on stdout.
import { basename, resolve } from 'node:path';
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import {
  ImportFormat,
  SplitPreset,
  type ImportProblem,
  type ImportReport,
} from '../../../src-shared/api/catalog.contract';
import { SkeletonPresetId } from '../../../src-shared/domain/skeleton';
import { withStudio } from '../studio-client';
import { followTask, stageLines } from '../task-follower';

const problemLine = (p: ImportProblem) => `${p.file}${p.record ? ` ${p.record}` : ''}: ${p.reason}`;

export function parseChoice<T extends string>(schema: { options: readonly T[] }, value: string, option: string): T {
  if (!(schema.options as readonly string[]).includes(value))
    throw new UsageError(`--${option} must be one of ${schema.options.join(', ')}, got '${value}'`);
  return value as T;
}

export const importCommand: Command = {
  usage: [
    'deeppose import --project DIR --format folder|csv|lsp|lspet|coco [--copy-images] [--skip-bad-records] [--images-root DIR] [--split-preset lsp] [--skeleton lsp14|coco17] PATH',
    '',
    '  PATH               folder of images (or one image), reference list (.csv), LSP/LSPET folder or joints.mat, COCO .json',
    '  --project DIR      project folder; created (with --skeleton, default lsp14, or coco17 for --format coco) when it holds no project',
    '  --copy-images      copy images into DIR/images instead of referring to where they are',
    "  --split-preset lsp then split the project as LSP's papers do: im0001–im1000 train, im1001–im2000 test (others kept)",
    '  --skip-bad-records leave out records with problems (listed) instead of failing the whole import',
    "  --images-root DIR  csv only: the folder the list's relative image paths start from (the reference's working folder);",
    "                     default: the list's folder, then up to 3 folders above it, the first that holds the image",
  ].join('\n'),
  options: {
    project: { type: 'string' },
    format: { type: 'string' },
    skeleton: { type: 'string' },
    'copy-images': { type: 'boolean' },
    'skip-bad-records': { type: 'boolean' },
    'images-root': { type: 'string' },
    'split-preset': { type: 'string' },
    home: { type: 'string' },
  },
  async run(values, positionals) {
    const project = resolve(requireString(values, 'project'));
    const format = parseChoice(ImportFormat, requireString(values, 'format'), 'format');
    const imagesRoot = values['images-root'] as string | undefined;
    if (imagesRoot !== undefined && format !== 'csv')
      throw new UsageError('--images-root applies to --format csv only');
    const splitPreset =
      values['split-preset'] === undefined
        ? null
        : parseChoice(SplitPreset, values['split-preset'] as string, 'split-preset');
    if (positionals.length !== 1) throw new UsageError(`expected one PATH to import, got ${positionals.length}`);
    const skeleton = parseChoice(
      SkeletonPresetId,
      (values.skeleton as string | undefined) ?? (format === 'coco' ? 'coco17' : 'lsp14'),
      'skeleton',
    );
    return withStudio(values.home as string | undefined, async (studio) => {
      // A folder without a project gets one (said only once the import succeeded; undone if it fails).
      const { taskId, created } = await studio.call('datasets.import', {
        project,
        format,
        path: resolve(positionals[0]),
        copyImages: values['copy-images'] === true,
        skipBadRecords: values['skip-bad-records'] === true,
        imagesRoot: imagesRoot === undefined ? undefined : resolve(imagesRoot),
        create: { name: basename(project), skeleton: { preset: skeleton } },
      });
      const report = (await followTask(studio, taskId, {
        onProgress: stageLines('import'),
        cancelled: 'import: cancelled, nothing was changed',
      })) as ImportReport;
      if (created) console.log(`created project ${created.dir} (skeleton ${created.skeleton})`);
      console.log(
        `imported ${report.path}: ${report.imagesAdded} new images (${report.imagesAlreadyPresent} already present), ` +
          `${report.instancesAdded} new instances (${report.instancesAlreadyPresent} already present), ` +
          `${report.instancesReplaced ? `${report.instancesReplaced} labeled persons replaced, ` : ''}${report.keypointsAdded} labeled keypoints`,
      );
      if (report.skippedCrowd || report.skippedNoKeypoints)
        console.log(
          `skipped ${report.skippedCrowd} crowd regions, ${report.skippedNoKeypoints} annotations without labeled keypoints`,
        );
      if (report.problems.length) {
        console.log(`left out ${report.skippedBadRecords} bad records:`);
        for (const problem of report.problems) console.log(`  ${problemLine(problem)}`);
      }
      if (splitPreset) {
        const split = await studio.call('splits.preset', { project, preset: splitPreset });
        console.log(
          `split ${splitPreset}: train ${split.train} / val ${split.val} / test ${split.test}${split.unmatched ? ` (${split.unmatched} images with other names kept their split)` : ''}`,
        );
      }
      return 0;
    });
  },
};
