// A folder of images (searched recursively), or one image file: images without labels.
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { TaskContext } from '../tasks/task-manager';
import { IMAGE_EXTENSIONS } from '../media/ingest';
import { fileProblem, type ParsedDataset } from './parsed-dataset';

async function findImages(dir: string, task: TaskContext | null, found: string[]): Promise<void> {
  task?.throwIfCancelled();
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await findImages(path, task, found);
    else if (entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
  }
  task?.progress(found.length, null, 'finding images');
}

export async function parseImageFolder(path: string, task: TaskContext | null): Promise<ParsedDataset> {
  const root = resolve(path);
  const info = await stat(root).catch(() => null);
  if (!info) throw fileProblem(root, 'no such file or folder');
  const files: string[] = [];
  if (info.isDirectory()) await findImages(root, task, files);
  else files.push(root);
  if (files.length === 0)
    throw fileProblem(root, `no image files found (looked for ${[...IMAGE_EXTENSIONS].join(', ')})`);
  return {
    format: 'folder',
    path: root,
    skeleton: null,
    jointCount: null,
    visibility: 'coco',
    records: files.map((file) => ({ file, record: null, imagePath: file, claimedSize: null, instances: [] })),
    problems: [],
    skippedCrowd: 0,
    skippedNoKeypoints: 0,
  };
}
