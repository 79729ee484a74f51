// Predictions written for other tools: the reference list format (`path,x0,y0,v0,...`, every
// joint marked visible) or COCO keypoint results ([{image_id, category_id, keypoints, score}]).
// A regressor gives no confidence, so every joint and every result scores 1; the confidence
// proxies travel beside them instead: as extra fields of each COCO result, and as the 'scores'
// CSV (the reference list keeps its fixed columns, which its readers count). Rows are written
// by image path, so the same predictions give the same file from the CLI or the studio.
// Coordinates to 0.01 px (COORDINATE_DECIMALS): a network's float32 output has no meaning below it.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { writeFileAtomic } from '../files/durable-write';
import { pathForList } from '../formats/dataset-paths';
import { csvLine } from '../formats/csv';
import type { ConfidenceProxies } from '../../../src-shared/domain/confidence';
import type { PredictionFormat } from '../../../src-shared/api/predictions.contract';
import { roundCoordinate } from '../../../src-shared/domain/keypoint';

export type { PredictionFormat };

export interface ExportedPrediction {
  imagePath: string;
  /** The catalog's image id, when the image is in the project. */
  imageId: number | null;
  /** In image pixels. */
  joints: [number, number][];
  confidence?: ConfidenceProxies;
}

export interface CocoResult {
  image_id: number;
  category_id: 1;
  keypoints: number[];
  score: number;
  /** The confidence proxies, where they were measured (not part of COCO's format; its tools ignore them). */
  flip_disagreement?: number;
  last_correction?: number;
}

function byPath(rows: ExportedPrediction[]): ExportedPrediction[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (a.row.imagePath < b.row.imagePath ? -1 : a.row.imagePath > b.row.imagePath ? 1 : a.i - b.i))
    .map(({ row }) => row);
}

export function referenceList(rows: ExportedPrediction[], listDir: string): string {
  const lines = byPath(rows).map((row) =>
    csvLine([
      pathForList(listDir, row.imagePath),
      ...row.joints.flatMap(([x, y]) => [roundCoordinate(x), roundCoordinate(y), 1]),
    ]),
  );
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
  return byPath(rows).map((row) => {
    const result: CocoResult = {
      image_id: ids.get(row.imagePath)!,
      category_id: 1,
      keypoints: row.joints.flatMap(([x, y]) => [roundCoordinate(x), roundCoordinate(y), 1]),
      score: 1,
    };
    if (row.confidence?.flip != null) result.flip_disagreement = row.confidence.flip;
    if (row.confidence?.correction != null) result.last_correction = row.confidence.correction;
    return result;
  });
}

/**
 * One row per prediction: its path (as the reference list writes it), the flip disagreement and
 * the last correction (empty where not measured), then the flip disagreement of each joint in
 * the skeleton's order. All as a fraction of the side of the view stage 1 looked at.
 */
export function scoresTable(rows: ExportedPrediction[], listDir: string): string {
  const joints = Math.max(0, ...rows.map((r) => r.joints.length));
  const header = [
    'image_path',
    'flip_disagreement',
    'last_correction',
    ...Array.from({ length: joints }, (_, j) => `flip_${j}`),
  ];
  const cell = (v: number | null | undefined) => (v == null ? '' : v);
  const lines = byPath(rows).map((row) => {
    const c = row.confidence;
    return csvLine([
      pathForList(listDir, row.imagePath),
      cell(c?.flip),
      cell(c?.correction),
      ...Array.from({ length: joints }, (_, j) => cell(c?.flipPerJoint?.[j])),
    ]);
  });
  return `${[csvLine(header), ...lines].join('\n')}\n`;
}

function fileText(rows: ExportedPrediction[], format: PredictionFormat, target: string): string {
  if (format === 'coco') return JSON.stringify(cocoResults(rows));
  return format === 'scores' ? scoresTable(rows, dirname(target)) : referenceList(rows, dirname(target));
}

/** Writes the file whole or not at all; returns its absolute path and the number of predictions. */
export async function writePredictions(
  rows: ExportedPrediction[],
  format: PredictionFormat,
  path: string,
): Promise<{ path: string; count: number }> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, fileText(rows, format, target));
  return { path: target, count: rows.length };
}
