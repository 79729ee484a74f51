// What a prediction job runs over: every image of a folder (recursive), of a list file, or
// of a split of the project. An image the catalog knows with person boxes gives one crop per
// box; any other image gives one crop of the whole image.
import { realpath, stat } from 'node:fs/promises';
import { MAX_LABEL_FILE_BYTES, readRegularFile } from '../files/read-regular-file';
import { dirname, extname, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import type { Box, Split } from '../../../src-shared/domain/image';
import type { PredictItem } from '../../../src-shared/training/protocol';
import type { Catalog } from '../catalog/open-catalog';
import { parseImageFolder } from '../formats/image-folder';
import { listImageResolver } from '../formats/list-image-paths';
import { parseCsv, type CsvRow } from '../formats/csv';
import { IMAGE_EXTENSIONS } from '../media/ingest';
import type { TaskContext } from '../tasks/task-manager';

export interface SourceItem extends PredictItem {
  imageId: number | null;
}

/**
 * Real paths of the images named by `path`: a folder (searched recursively), one image, or a
 * list file with one image per line (the first comma-separated field, as in the reference
 * list format; relative paths are taken from the list's folder).
 */
export async function listInputImages(path: string, task: TaskContext | null = null): Promise<string[]> {
  const target = resolve(path);
  const info = await stat(target).catch(() => null);
  if (!info) throw new StudioError('not-found', `${target}: no such file or folder`);
  const files =
    info.isDirectory() || IMAGE_EXTENSIONS.has(extname(target).toLowerCase())
      ? (await parseImageFolder(target, task)).records.map((r) => r.imagePath)
      : await readImageList(target);
  return Promise.all(
    files.map((file) =>
      realpath(file).catch(() => {
        throw new StudioError('not-found', `${file}: image file not found`);
      }),
    ),
  );
}

async function readImageList(listPath: string): Promise<string[]> {
  const text = (await readRegularFile(listPath, MAX_LABEL_FILE_BYTES, 'list')).toString('utf8');
  const paths: string[] = [];
  let rows: CsvRow[];
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw new StudioError('bad-input', `${listPath}: ${(error as Error).message}`);
  }
  const resolveImage = listImageResolver(dirname(listPath));
  for (const { line, fields } of rows) {
    const where = resolveImage(fields[0].trim());
    if ('reason' in where) throw new StudioError('bad-input', `${listPath} line ${line}: ${where.reason}`);
    paths.push(where.path);
  }
  if (paths.length === 0) throw new StudioError('bad-input', `${listPath}: the list names no images`);
  return paths;
}

/** Crops for images given by path, using the boxes of those the catalog knows. */
export function itemsForPaths(catalog: Catalog | null, paths: string[]): SourceItem[] {
  const find = catalog?.db.prepare('SELECT id FROM images WHERE path = ?');
  return paths.flatMap((imagePath) => {
    const imageId = (find?.get(imagePath) as { id: number } | undefined)?.id ?? null;
    return imageId === null || !catalog
      ? [{ imagePath, imageId, box: null }]
      : itemsOfImage(catalog, imageId, imagePath);
  });
}

/** Crops for every image of a split, by path. */
export function itemsOfSplit(catalog: Catalog, split: Split): SourceItem[] {
  const images = catalog.db
    .prepare('SELECT id, path FROM images WHERE split = ? ORDER BY path, id')
    .all(split) as Array<{ id: number; path: string }>;
  return images.flatMap((image) => itemsOfImage(catalog, image.id, image.path));
}

function itemsOfImage(catalog: Catalog, imageId: number, imagePath: string): SourceItem[] {
  const boxes = (
    catalog.db
      .prepare(
        'SELECT box_x, box_y, box_w, box_h FROM instances WHERE image_id = ? AND box_x IS NOT NULL AND box_w > 0 AND box_h > 0 ORDER BY id',
      )
      .all(imageId) as Array<{
      box_x: number;
      box_y: number;
      box_w: number;
      box_h: number;
    }>
  ).map((r): Box => [r.box_x, r.box_y, r.box_w, r.box_h]);
  if (boxes.length === 0) return [{ imagePath, imageId, box: null }];
  return boxes.map((box) => ({ imagePath, imageId, box }));
}
