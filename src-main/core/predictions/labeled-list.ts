// A prediction source that carries labels: a reference list (`path,x0,y0,v0,…`) with joint
// columns. `deeppose predict` scores its predictions against them (PCK, PCKh, PCP and the
// mean-pose baseline, per stage and joint), as the project's labeled splits are scored.
import { realpath, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { mapVisibility } from '../datasets/import-dataset';
import { parseReferenceCsv } from '../formats/reference-csv';
import { parseCsv } from '../formats/csv';
import { MAX_LABEL_FILE_BYTES, readRegularFile } from '../files/read-regular-file';
import { IMAGE_EXTENSIONS } from '../media/ingest';
import type { Joints } from '../pose/pose-joints';

/** Per image (real path), its labeled joints as the list writes them (third value: 1 visible, 0 not). */
export type ListLabels = Map<string, [number, number, number][]>;

/** The labels of a reference list with `jointCount` joints per row, or null when `path` is a folder, an image or a list of bare paths. */
export async function readListLabels(path: string, jointCount: number): Promise<ListLabels | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile() || IMAGE_EXTENSIONS.has(extname(path).toLowerCase())) return null;
  const first = parseCsv((await readRegularFile(path, MAX_LABEL_FILE_BYTES, 'list')).toString('utf8'))[0];
  if (!first || first.fields.length !== 1 + 3 * jointCount) return null;
  const parsed = await parseReferenceCsv(path, jointCount);
  const labels: ListLabels = new Map();
  for (const record of parsed.records) labels.set(await realpath(record.imagePath), record.instances[0].joints);
  return labels;
}

/** A list's joints in the catalog's visibility (2 visible, 1 occluded inside the picture, 0 not labeled). */
export function truthOf(joints: [number, number, number][], width: number, height: number): Joints {
  return joints.map(([x, y, flag]) => [x, y, mapVisibility('visible-flag', x, y, flag, width, height)]);
}
