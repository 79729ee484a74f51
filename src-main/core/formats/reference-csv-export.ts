// The reference list format from the catalog: one line per instance with a labeled joint,
// `path,x0,y0,v0,...` with v = 1 for visible joints and 0 otherwise, quoted as RFC 4180 asks. With `preprocess`, each
// example is cropped as in the reference work and the crops are written to images/ beside the
// list, with coordinates in crop pixels. Paths are relative to the list's folder, or to
// `imagesRoot`: the reference opens them from the folder it runs in; others are absolute.
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ExportReport } from '../../../src-shared/api/catalog.contract';
import type { Catalog } from '../catalog/open-catalog';
import { listExamples } from '../catalog/examples';
import type { TaskContext } from '../tasks/task-manager';
import { writeFileAtomic } from '../files/durable-write';
import { pathForList } from './dataset-paths';
import { csvLine } from './csv';
import { cropImage, planCrop } from './reference-preprocess';

export async function exportReferenceCsv(catalog: Catalog, outPath: string, options: { preprocess?: boolean; imagesRoot?: string }, task: TaskContext): Promise<ExportReport> {
  const target = resolve(outPath);
  const listDir = dirname(target);
  const base = options.imagesRoot ? resolve(options.imagesRoot) : listDir;
  const examples = listExamples(catalog);
  const lines: string[] = [];
  let dropped = 0;
  const cropDir = join(listDir, 'images');
  if (options.preprocess) await mkdir(cropDir, { recursive: true });
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
      const name = `im${example.imageId}-${example.instanceId}.jpg`;
      await writeFileAtomic(join(cropDir, name), await cropImage(example.imagePath, example.width, example.height, plan));
      path = pathForList(base, join(cropDir, name));
      joints = joints.map(([x, y, v]) => [x - plan.left, y - plan.top, v]);
    }
    lines.push(csvLine([path, ...joints.flatMap(([x, y, v]) => [x, y, v === 2 ? 1 : 0])]));
  }
  await writeFileAtomic(target, lines.length ? `${lines.join('\n')}\n` : '');
  task.progress(examples.length, examples.length, 'done');
  const images = new Set(examples.map((e) => e.imageId)).size;
  return { format: 'csv', path: target, images, instances: lines.length, dropped };
}
