// A ready-to-train project in one call: procedural pictures drawn into
// <folder>/sample-images, a new LSP-14 project whose catalog imports their COCO labels
// (which keep "hidden" apart from "outside the frame"), and seeded train/val/test splits.
import { join } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { LSP14 } from '../../../src-shared/domain/skeleton';
import { importDataset, silentTask } from '../datasets/import-dataset';
import { catalogExists, type Catalog } from '../catalog/open-catalog';
import { createProject, readProject, replaceSkeleton } from '../catalog/project-info';
import { assignSplits, type SplitRatios } from '../catalog/splits';
import type { TaskContext } from '../tasks/task-manager';
import { generateSample } from './generate-sample';

export const SAMPLE_PROJECT_IMAGES = 'sample-images';

export interface CreateSampleProjectOptions {
  /** The project folder: new, or without a project in it. */
  folder: string;
  name?: string;
  count?: number;
  seed?: number;
  ratios?: SplitRatios;
}

/** Creates the project and returns its open catalog (the caller owns and closes it). */
export async function createSampleProject(
  options: CreateSampleProjectOptions,
  task: TaskContext = silentTask,
): Promise<Catalog> {
  const {
    folder,
    name = 'Sample people',
    count = 500,
    seed = 1,
    ratios = { train: 0.8, val: 0.1, test: 0.1 },
  } = options;
  if (catalogExists(folder)) throw new StudioError('conflict', `${folder} already holds a project`);
  const sample = await generateSample({
    outDir: join(folder, SAMPLE_PROJECT_IMAGES),
    count,
    seed,
    signal: task.signal,
    onProgress: (done, total) => task.progress(done, total, 'drawing sample pictures'),
  });
  task.throwIfCancelled();
  const catalog = createProject(folder, name, LSP14);
  try {
    await importDataset(catalog, { format: 'coco', path: sample.cocoPath }, task);
    // The COCO category names the same 14 joints in the same order; an empty project adopts
    // the category's skeleton, so give it back the preset's name, edges and flip pairs.
    if (JSON.stringify(readProject(catalog).skeleton) !== JSON.stringify(LSP14)) replaceSkeleton(catalog, LSP14);
    // The sample's COCO boxes are its joints' extent: labels, which a new picture does not
    // have. Without them the project's models see whole pictures, as a folder of new ones gives.
    catalog.db.prepare('UPDATE instances SET box_x = NULL, box_y = NULL, box_w = NULL, box_h = NULL').run();
    assignSplits(catalog, seed, ratios);
    return catalog;
  } catch (error) {
    catalog.close();
    throw error;
  }
}
