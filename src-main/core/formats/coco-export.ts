// COCO person keypoints JSON from the catalog: one annotation per instance with at least one
// labeled joint, x/y written as stored (shortest round-trip form) and v = 0/1/2 kept, so
// importing the file again gives the same catalog.
import { dirname, resolve } from 'node:path';
import type { ExportReport } from '../../../src-shared/api/catalog.contract';
import type { Catalog } from '../catalog/open-catalog';
import { readProject } from '../catalog/project-info';
import { listExamples } from '../catalog/examples';
import type { TaskContext } from '../tasks/task-manager';
import { writeFileAtomic } from '../files/durable-write';
import { STUDIO_NAME, STUDIO_VERSION } from '../version';
import { pathForList } from './dataset-paths';

export async function exportCoco(catalog: Catalog, outPath: string, task: TaskContext): Promise<ExportReport> {
  const target = resolve(outPath);
  const { skeleton } = readProject(catalog);
  const images = catalog.db.prepare('SELECT id, path, width, height FROM images ORDER BY id').all() as Array<{
    id: number;
    path: string;
    width: number;
    height: number;
  }>;
  const examples = listExamples(catalog);
  const annotations = examples.map((example, i) => {
    if (i % 500 === 0) {
      task.throwIfCancelled();
      task.progress(i, examples.length, 'writing annotations');
    }
    const labeled = example.joints.filter(([, , v]) => v > 0);
    const box = example.box ?? boundsOf(labeled);
    return {
      id: example.instanceId,
      image_id: example.imageId,
      category_id: 1,
      iscrowd: 0,
      num_keypoints: labeled.length,
      keypoints: example.joints.flat(),
      bbox: box,
      area: box[2] * box[3],
    };
  });
  const doc = {
    info: { description: `exported by ${STUDIO_NAME} ${STUDIO_VERSION}`, date_created: new Date().toISOString() },
    images: images.map((image) => ({
      id: image.id,
      file_name: pathForList(dirname(target), image.path),
      width: image.width,
      height: image.height,
    })),
    annotations,
    categories: [
      {
        id: 1,
        name: 'person',
        supercategory: 'person',
        keypoints: skeleton.joints,
        skeleton: skeleton.edges.map(([a, b]) => [a + 1, b + 1]),
      },
    ],
  };
  await writeFileAtomic(target, JSON.stringify(doc));
  task.progress(examples.length, examples.length, 'done');
  return { format: 'coco', path: target, images: images.length, instances: annotations.length, dropped: 0 };
}

function boundsOf(joints: [number, number, number][]): [number, number, number, number] {
  const xs = joints.map(([x]) => x);
  const ys = joints.map(([, y]) => y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return [x, y, Math.max(...xs) - x, Math.max(...ys) - y];
}
