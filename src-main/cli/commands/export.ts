// `deeppose export`: a project's labels as a reference list or COCO keypoints JSON, through the
// core's 'datasets.export' task.
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { resolve } from 'node:path';
import { ExportFormat, type ExportReport } from '../../../src-shared/api/catalog.contract';
import { withStudio } from '../studio-client';
import { followTask, stageLines } from '../task-follower';

export const exportCommand: Command = {
  usage: [
    'deeppose export --project DIR --format csv|coco [--preprocess] [--images-root DIR] [--overwrite] PATH',
    '',
    '  PATH          the list (.csv) or JSON file to write; written whole or not at all',
    '  --overwrite   replace PATH if it exists (otherwise an existing file is refused)',
    '  --preprocess  csv only: crop 256×256 around each example as the reference work does, crops in images/ beside PATH',
    "  --images-root DIR  csv only: image paths relative to DIR, the folder the reference runs in (default: PATH's folder)",
  ].join('\n'),
  options: {
    project: { type: 'string' },
    format: { type: 'string' },
    preprocess: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    'images-root': { type: 'string' },
    home: { type: 'string' },
  },
  async run(values, positionals) {
    const project = requireString(values, 'project');
    const format = requireString(values, 'format');
    if (!(ExportFormat.options as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${ExportFormat.options.join(', ')}, got '${format}'`);
    if (positionals.length !== 1) throw new UsageError(`expected one PATH to write, got ${positionals.length}`);
    if (values.preprocess && format !== 'csv') throw new UsageError('--preprocess applies to --format csv only');
    const imagesRoot = values['images-root'] as string | undefined;
    if (imagesRoot !== undefined && format !== 'csv')
      throw new UsageError('--images-root applies to --format csv only');
    return withStudio(values.home as string | undefined, async (studio) => {
      const { taskId } = await studio.call('datasets.export', {
        project: resolve(project),
        format: format as ExportFormat,
        path: resolve(positionals[0]),
        preprocess: values.preprocess === true,
        imagesRoot: imagesRoot === undefined ? undefined : resolve(imagesRoot),
        overwrite: values.overwrite === true,
      });
      const report = (await followTask(studio, taskId, {
        onProgress: stageLines('export'),
        cancelled: 'export: cancelled, nothing was changed',
      })) as ExportReport;
      console.log(
        `wrote ${report.path}: ${report.instances} instances from ${report.images} images${report.dropped ? `, ${report.dropped} examples dropped by the preprocessing` : ''}`,
      );
      return 0;
    });
  },
};
