// `deeppose import`: one dataset into a project's catalog, with progress lines on stdout.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { ImportFormat, SplitPreset } from '../../../src-shared/api/catalog.contract';
import { SkeletonPresetId, skeletonPresets } from '../../../src-shared/domain/skeleton';
import type { TaskContext } from '../../core/tasks/task-manager';
import { StudioError } from '../../../src-shared/api/define';
import { catalogExists, openCatalog, type Catalog } from '../../core/catalog/open-catalog';
import { createProject } from '../../core/catalog/project-info';
import { describeProblem, importDataset } from '../../core/datasets/import-dataset';
import { applySplitPreset } from '../../core/catalog/split-presets';

/**
 * A task context for the command line: prints `label: message current/total` when the stage
 * changes and at every tenth of it; Ctrl-C asks the job to stop (it then rolls back).
 */
export function consoleTask(label: string): TaskContext & { dispose(): void } {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  let lastMessage = '';
  let lastTenth = -1;
  return {
    id: 'cli',
    signal: controller.signal,
    progress(current, total, message = lastMessage) {
      const tenth = total ? Math.floor((10 * current) / total) : -1;
      if (message === lastMessage && tenth === lastTenth) return;
      lastMessage = message;
      lastTenth = tenth;
      process.stdout.write(`${label}: ${message}${total ? ` ${current}/${total}` : current ? ` ${current}` : ''}\n`);
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw new StudioError('cancelled', `${label}: cancelled, nothing was changed`);
    },
    dispose: () => process.off('SIGINT', onInterrupt),
  };
}

function parseChoice<T extends string>(schema: { options: readonly T[] }, value: string, option: string): T {
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
  },
  async run(values, positionals) {
    const project = requireString(values, 'project');
    const format = parseChoice(ImportFormat, requireString(values, 'format'), 'format');
    const imagesRoot = values['images-root'] as string | undefined;
    if (imagesRoot !== undefined && format !== 'csv')
      throw new UsageError('--images-root applies to --format csv only');
    const splitPreset =
      values['split-preset'] === undefined
        ? null
        : parseChoice(SplitPreset, values['split-preset'] as string, 'split-preset');
    if (positionals.length !== 1) throw new UsageError(`expected one PATH to import, got ${positionals.length}`);
    let catalog: Catalog;
    /** Set when this import makes the project: said only once the import succeeded, and undone if it fails. */
    let created: { line: string; undo: () => void } | null = null;
    if (catalogExists(project)) {
      catalog = openCatalog(project);
    } else {
      const preset = parseChoice(
        SkeletonPresetId,
        (values.skeleton as string | undefined) ?? (format === 'coco' ? 'coco17' : 'lsp14'),
        'skeleton',
      );
      const madeFolder = !existsSync(project);
      mkdirSync(project, { recursive: true });
      catalog = createProject(project, basename(project), skeletonPresets[preset]);
      const dir = catalog.dir;
      created = {
        line: `created project ${dir} (skeleton ${skeletonPresets[preset].name})`,
        // Only what this command made: the whole folder if it made it, else the catalog's files.
        undo: () => {
          if (madeFolder) rmSync(dir, { recursive: true, force: true });
          else for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `catalog.sqlite${suffix}`), { force: true });
        },
      };
    }
    const task = consoleTask('import');
    let succeeded = false;
    try {
      const report = await importDataset(
        catalog,
        {
          format,
          path: positionals[0],
          copyImages: values['copy-images'] === true,
          skipBadRecords: values['skip-bad-records'] === true,
          imagesRoot,
        },
        task,
      );
      if (created) console.log(created.line);
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
        for (const problem of report.problems) console.log(`  ${describeProblem(problem)}`);
      }
      if (splitPreset) {
        const split = applySplitPreset(catalog, splitPreset);
        console.log(
          `split ${splitPreset}: train ${split.train} / val ${split.val} / test ${split.test}${split.unmatched ? ` (${split.unmatched} images with other names kept their split)` : ''}`,
        );
      }
      succeeded = true;
      return 0;
    } finally {
      task.dispose();
      catalog.close();
      if (created && !succeeded) created.undo();
    }
  },
};
