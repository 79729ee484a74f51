// Thin handlers over the catalog modules: open the project's catalog, call one function.
// Imports and exports run as tasks; their reports are the tasks' results.
import { existsSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { catalogCalls } from '../../../../src-shared/api/catalog.contract';
import { skeletonPresets } from '../../../../src-shared/domain/skeleton';
import type { ProjectSummary } from '../../../../src-shared/domain/project';
import type { SkeletonChoice } from '../../../../src-shared/api/catalog.contract';
import { catalogExists, type Catalog } from '../../catalog/open-catalog';
import { allowProjectFolders, getProjectCatalogs } from '../../catalog/project-catalogs';
import { createProject, projectSummary } from '../../catalog/project-info';
import { forgetProject, recentProjects, rememberProject } from '../../catalog/recent-projects';
import { getImage, listImages, nextUnlabeledImage, setSplit } from '../../catalog/images';
import { assignSplits } from '../../catalog/splits';
import { applySplitPreset } from '../../catalog/split-presets';
import { createInstance, deleteInstance, saveKeypoints, setInstanceBox } from '../../catalog/instances';
import { importDataset } from '../../datasets/import-dataset';
import { exportDataset } from '../../datasets/export-dataset';
import {
  checkProjectFolder,
  checkWriteTarget,
  refuseControlCharacters,
  requireAbsolute,
  writeRoots,
} from '../../files/path-policy';
import { requireReadable } from '../../files/read-access';

/** A new project for an import: the catalog, and how to remove exactly what was made (the folder if it was made, else the catalog's files). */
async function makeProjectFor(
  folder: string,
  { name, skeleton }: { name: string; skeleton: SkeletonChoice },
): Promise<{ catalog: Catalog; skeleton: string; undo: () => void }> {
  const dir = await checkProjectFolder(folder);
  const madeFolder = !existsSync(dir);
  await mkdir(dir, { recursive: true });
  const chosen = 'preset' in skeleton ? skeletonPresets[skeleton.preset] : skeleton.custom;
  const catalog = createProject(dir, name, chosen);
  return {
    catalog,
    skeleton: chosen.name,
    undo: () => {
      catalog.close();
      if (madeFolder) rmSync(dir, { recursive: true, force: true });
      else for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `catalog.sqlite${suffix}`), { force: true });
    },
  };
}

/** 'Import folder images', but 'Import file notes.txt' for one file given to the folder importer (it takes one image too). */
export function importTaskTitle(
  format: string,
  path: string,
  isFile = (p: string) => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false,
): string {
  return `Import ${format === 'folder' && isFile(path) ? 'file' : format} ${basename(path)}`;
}

export function catalogHandlers(ctx: StudioContext): HandlersOf<typeof catalogCalls> {
  const catalogs = getProjectCatalogs(ctx);
  const open = (project: string) => catalogs.get(project);

  return {
    'projects.list': () => {
      const summaries: ProjectSummary[] = [];
      for (const dir of recentProjects(ctx.home)) {
        try {
          summaries.push(projectSummary(open(dir)));
        } catch {
          // moved or deleted since: not listed
        }
      }
      return summaries;
    },
    'projects.create': async ({ folder, name, skeleton }) => {
      refuseControlCharacters('project name', name);
      const dir = await checkProjectFolder(folder);
      await mkdir(dir, { recursive: true });
      const catalog = catalogs.adopt(
        createProject(dir, name, 'preset' in skeleton ? skeletonPresets[skeleton.preset] : skeleton.custom),
      );
      await rememberProject(ctx.home, catalog.dir);
      return projectSummary(catalog);
    },
    'projects.open': async ({ folder }) => {
      const catalog = open(folder);
      await rememberProject(ctx.home, catalog.dir);
      return projectSummary(catalog);
    },
    // Only the recent list changes: the folder, its catalog and any open connection stay.
    'projects.forget': async ({ folder }) => ({
      forgotten: await forgetProject(ctx.home, requireAbsolute('project folder', folder)),
    }),
    'images.list': ({ project, ...query }) => listImages(open(project), query),
    'images.get': ({ project, imageId }) => getImage(open(project), imageId),
    'images.nextUnlabeled': ({ project, after }) => ({ imageId: nextUnlabeledImage(open(project), after) }),
    'images.setSplit': ({ project, imageIds, split }) => setSplit(open(project), imageIds, split),
    'splits.assign': ({ project, seed, ratios }) => assignSplits(open(project), seed, ratios),
    'splits.preset': ({ project, preset }) => applySplitPreset(open(project), preset),
    'instances.create': ({ project, imageId }) => createInstance(open(project), imageId),
    'instances.delete': ({ project, instanceId }) => deleteInstance(open(project), instanceId),
    'instances.setBox': ({ project, instanceId, box }) => setInstanceBox(open(project), instanceId, box),
    'keypoints.save': ({ project, instanceId, keypoints }) => saveKeypoints(open(project), instanceId, keypoints),
    'datasets.import': async ({ project, format, path, copyImages, skipBadRecords, imagesRoot, create }) => {
      // With `create`, a folder that holds no project gets one, kept only if the import succeeds.
      const made = create && !catalogExists(project) ? await makeProjectFor(project, create) : null;
      const catalog = made?.catalog ?? open(project);
      const { task } = ctx.tasks.start('import', importTaskTitle(format, path), async (taskContext) => {
        const checkImagePath = async (image: string) => void (await requireReadable(ctx, 'image', image));
        try {
          const report = await importDataset(
            catalog,
            { format, path, copyImages, skipBadRecords, imagesRoot, checkImagePath },
            taskContext,
          );
          if (made) {
            catalogs.adopt(catalog);
            await rememberProject(ctx.home, catalog.dir);
          }
          allowProjectFolders(ctx, catalog);
          return report;
        } catch (error) {
          made?.undo();
          throw error;
        }
      });
      return {
        taskId: task.id,
        created: made ? { dir: made.catalog.dir, skeleton: made.skeleton } : null,
      };
    },
    'datasets.export': async ({ project, format, path, preprocess, overwrite, imagesRoot }) => {
      const catalog = open(project);
      const target = await checkWriteTarget(path, { overwrite, roots: writeRoots(ctx) });
      const { task } = ctx.tasks.start('export', `Export ${format} ${basename(target)}`, (taskContext) =>
        exportDataset(catalog, { format, path: target, preprocess, imagesRoot, overwrite }, taskContext),
      );
      return { taskId: task.id };
    },
  };
}
