// Predictions written for other tools: the reference list format (`path,x0,y0,v0,...`, every
// joint marked visible) or COCO keypoint results ([{image_id, category_id, keypoints, score}]).
// A regressor gives no confidence, so every joint and every result scores 1. Rows are written
// by image path, so the same predictions give the same file from the CLI or the studio.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { writeFileAtomic } from '../files/durable-write';
import { pathForList } from '../formats/dataset-paths';
import { csvLine } from '../formats/csv';

export type PredictionFormat = 'csv' | 'coco';

export interface ExportedPrediction {
  imagePath: string;
  /** The catalog's image id, when the image is in the project. */
  imageId: number | null;
  /** In image pixels. */
  joints: [number, number][];
}

export interface CocoResult {
  image_id: number;
  category_id: 1;
  keypoints: number[];
  score: number;
}

function byPath(rows: ExportedPrediction[]): ExportedPrediction[] {
  return rows.map((row, i) => ({ row, i })).sort((a, b) => (a.row.imagePath < b.row.imagePath ? -1 : a.row.imagePath > b.row.imagePath ? 1 : a.i - b.i)).map(({ row }) => row);
}

export function referenceList(rows: ExportedPrediction[], listDir: string): string {
  const lines = byPath(rows).map((row) => csvLine([pathForList(listDir, row.imagePath), ...row.joints.flatMap(([x, y]) => [x, y, 1])]));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * COCO image ids: the catalog's when every image has one; else the numbers COCO file names
 * carry (000000123456.jpg is image 123456) when every name is one; else 1, 2, ... by path.
 */
export function cocoImageIds(rows: ExportedPrediction[]): Map<string, number> {
  const paths = [...new Set(byPath(rows).map((r) => r.imagePath))];
  const ids = new Map<string, number>();
  if (rows.every((r) => r.imageId !== null)) {
    for (const r of rows) ids.set(r.imagePath, r.imageId as number);
    return ids;
  }
  const stems = paths.map((p) => basename(p, extname(p)));
  const numeric = stems.every((s) => /^\d{1,15}$/.test(s)) && new Set(stems.map(Number)).size === stems.length;
  paths.forEach((p, i) => ids.set(p, numeric ? Number(stems[i]) : i + 1));
  return ids;
}

export function cocoResults(rows: ExportedPrediction[]): CocoResult[] {
  const ids = cocoImageIds(rows);
  return byPath(rows).map((row) => ({ image_id: ids.get(row.imagePath)!, category_id: 1, keypoints: row.joints.flatMap(([x, y]) => [x, y, 1]), score: 1 }));
}

/** Writes the file whole or not at all; returns its absolute path and the number of predictions. */
export async function writePredictions(rows: ExportedPrediction[], format: PredictionFormat, path: string): Promise<{ path: string; count: number }> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, format === 'csv' ? referenceList(rows, dirname(target)) : JSON.stringify(cocoResults(rows)));
  return { path: target, count: rows.length };
}
