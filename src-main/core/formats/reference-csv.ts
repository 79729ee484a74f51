// The reference list format: one example per line, `image_path,x0,y0,v0,x1,y1,v1,...`,
// paths relative to the list file, v 1 = visible (see VisibilityRule 'visible-flag').
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ImportProblem } from '../../../src-shared/api/catalog.contract';
import { fileProblem, resolveDatasetPath, type ParsedDataset, type ParsedRecord } from './parsed-dataset';

export async function parseReferenceCsv(listPath: string, jointCount: number): Promise<ParsedDataset> {
  const file = resolve(listPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw fileProblem(file, `cannot read the list (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const dir = dirname(file);
  const columns = 1 + 3 * jointCount;
  const records: ParsedRecord[] = [];
  const problems: ImportProblem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const record = `line ${index + 1}`;
    const problem = (reason: string) => problems.push({ file, record, reason });
    const fields = line.split(',');
    if (fields.length !== columns) {
      return problem(`${fields.length} columns, expected ${columns} (image path + ${jointCount} joints × x, y, visible)`);
    }
    const where = resolveDatasetPath(dir, fields[0].trim());
    if ('reason' in where) return problem(where.reason);
    const joints: [number, number, number][] = [];
    for (let j = 0; j < jointCount; j++) {
      const triple = fields.slice(1 + 3 * j, 4 + 3 * j).map((f) => (f.trim() === '' ? NaN : Number(f)));
      const bad = triple.findIndex((n) => !Number.isFinite(n));
      if (bad >= 0) return problem(`column ${2 + 3 * j + bad} ('${fields[1 + 3 * j + bad]}', joint ${j}) is not a finite number`);
      if (triple[2] !== 0 && triple[2] !== 1) return problem(`joint ${j}: visible flag must be 0 or 1, got ${fields[3 + 3 * j]}`);
      joints.push(triple as [number, number, number]);
    }
    records.push({ file, record, imagePath: where.path, claimedSize: null, instances: [{ record, box: null, joints }] });
  });
  if (records.length === 0 && problems.length === 0) throw fileProblem(file, 'the list holds no examples');
  return { format: 'csv', path: file, skeleton: null, jointCount, visibility: 'visible-flag', records, problems, skippedCrowd: 0, skippedNoKeypoints: 0 };
}
