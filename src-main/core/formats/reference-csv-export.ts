// The reference list format from the catalog: one line per instance with a labeled joint,
// `path,x0,y0,v0,...` with v = 1 for visible joints and 0 otherwise, quoted as RFC 4180 asks. With `preprocess`, each
// example is cropped as in the reference work and the crops are written to images/ beside the
// list, with coordinates in crop pixels. Paths are relative to the list's folder, or to
// `imagesRoot`: the reference opens them from the folder it runs in; others are absolute.
// Crops are written into a partial folder (`.images.partial-PID`) and moved into images/ only
// when every crop and the list are done: a killed or failed export leaves no crop behind (the
// next export beside it, or opening a project holding it, removes a dead writer's folder).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { leftoverWriter } from '../files/leftovers';
import { pidRunsHere } from '../files/pid-alive';
import { syncDir } from '../files/durable-write';
import { checkWriteFolder } from '../files/path-policy';
import type { ExportReport } from '../../../src-shared/api/catalog.contract';
import type { Catalog } from '../catalog/open-catalog';
import { listExamples } from '../catalog/examples';
import type { TaskContext } from '../tasks/task-manager';
import { writeFileAtomic } from '../files/durable-write';
import { pathForList } from './dataset-paths';
import { csvLine } from './csv';
import { cropImage, planCrop } from './reference-preprocess';

const CROP_FOLDER = 'images';

function cropName(example: { imageId: number; instanceId: number }): string {
  return `im${example.imageId}-${example.instanceId}.jpg`;
}

/** Removes crop folders that dead exports left beside the list. */
function removeDeadCropFolders(listDir: string): void {
  for (const name of existsSync(listDir) ? readdirSync(listDir) : []) {
    const pid = name.startsWith(`.${CROP_FOLDER}.partial-`) ? leftoverWriter(name) : null;
    if (pid !== null && !pidRunsHere(pid)) rmSync(join(listDir, name), { recursive: true, force: true });
  }
}

export async function exportReferenceCsv(
  catalog: Catalog,
  outPath: string,
  options: { preprocess?: boolean; imagesRoot?: string; overwrite?: boolean },
  task: TaskContext,
): Promise<ExportReport> {
  const target = resolve(outPath);
  const listDir = dirname(target);
  const base = options.imagesRoot ? resolve(options.imagesRoot) : listDir;
  const examples = listExamples(catalog);
  const lines: string[] = [];
  let dropped = 0;
  const cropDir = join(listDir, CROP_FOLDER);
  const partialDir = join(listDir, `.${CROP_FOLDER}.partial-${process.pid}`);
  if (options.preprocess) {
    await checkWriteFolder(cropDir);
    removeDeadCropFolders(listDir);
    // Refused before any work: a crop name already in images/ is replaced only with overwrite.
    const taken = examples.map(cropName).filter((name) => existsSync(join(cropDir, name)));
    if (taken.length && !options.overwrite) {
      throw new StudioError(
        'conflict',
        `${join(cropDir, taken[0])} already exists (${taken.length} crop${taken.length > 1 ? 's' : ''} would be replaced): tick 'replace an existing file' (--overwrite in the CLI) to write over them`,
      );
    }
    await rm(partialDir, { recursive: true, force: true });
    await mkdir(partialDir, { recursive: true });
  }
  try {
    const report = await cropAndList();
    // Crops first, then the list that names them: a list never names a crop that is not there.
    if (options.preprocess) await moveCrops();
    await writeFileAtomic(target, lines.length ? `${lines.join('\n')}\n` : '');
    task.progress(examples.length, examples.length, 'done');
    return report;
  } finally {
    if (options.preprocess) await rm(partialDir, { recursive: true, force: true });
  }

  async function moveCrops(): Promise<void> {
    await mkdir(cropDir, { recursive: true });
    for (const name of readdirSync(partialDir)) await rename(join(partialDir, name), join(cropDir, name));
    syncDir(cropDir);
  }

  async function cropAndList(): Promise<ExportReport> {
    for (const [i, example] of examples.entries()) {
      task.throwIfCancelled();
      task.progress(i, examples.length, options.preprocess ? 'cropping examples' : 'writing the list');
      let path = pathForList(base, example.imagePath);
      let joints = example.joints;
      if (options.preprocess) {
        const plan = planCrop(example.joints, example.width, example.height);
        if ('drop' in plan) {
          dropped++;
          continue;
        }
        const name = cropName(example);
        await writeFileAtomic(
          join(partialDir, name),
          await cropImage(example.imagePath, example.width, example.height, plan),
        );
        path = pathForList(base, join(cropDir, name));
        joints = joints.map(([x, y, v]) => [x - plan.left, y - plan.top, v]);
      }
      lines.push(csvLine([path, ...joints.flatMap(([x, y, v]) => [x, y, v === 2 ? 1 : 0])]));
    }
    const images = new Set(examples.map((e) => e.imageId)).size;
    return { format: 'csv', path: target, images, instances: lines.length, dropped };
  }
}
