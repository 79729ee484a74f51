// The reference list format: one example per line, `image_path,x0,y0,v0,x1,y1,v1,...`,
// paths relative to the list's folder or one above it (see list-image-paths), v 1 = visible (see VisibilityRule 'visible-flag'). Fields are
// RFC 4180 (a path with a comma or newline comes quoted). Problems name the line and column,
// never the field's text: the file may not be a list at all.
import { dirname, resolve } from 'node:path';
import type { ImportProblem } from '../../../src-shared/api/catalog.contract';
import { fileProblem, type ParsedDataset, type ParsedRecord } from './parsed-dataset';
import { listImageResolver } from './list-image-paths';
import { CsvError, parseCsv, type CsvRow } from './csv';
import { MAX_LABEL_FILE_BYTES, readRegularFile } from '../files/read-regular-file';

/** `imagesRoot`: the one folder relative image paths are under (the reference's working folder). */
export async function parseReferenceCsv(
  listPath: string,
  jointCount: number,
  imagesRoot?: string,
): Promise<ParsedDataset> {
  const file = resolve(listPath);
  const text = (await readRegularFile(file, MAX_LABEL_FILE_BYTES, 'list')).toString('utf8');
  let rows: CsvRow[];
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw fileProblem(file, error.message);
    throw error;
  }
  const resolveImage = listImageResolver(dirname(file), imagesRoot);
  const columns = 1 + 3 * jointCount;
  const records: ParsedRecord[] = [];
  const problems: ImportProblem[] = [];
  rows.forEach(({ line, fields }) => {
    const record = `line ${line}`;
    const problem = (reason: string) => problems.push({ file, record, reason });
    if (fields.length !== columns) {
      return problem(
        `${fields.length} columns, expected ${columns} (image path + ${jointCount} joints × x, y, visible)`,
      );
    }
    const where = resolveImage(fields[0].trim());
    if ('reason' in where) return problem(where.reason);
    const joints: [number, number, number][] = [];
    for (let j = 0; j < jointCount; j++) {
      const triple = fields.slice(1 + 3 * j, 4 + 3 * j).map((f) => (f.trim() === '' ? NaN : Number(f)));
      const bad = triple.findIndex((n) => !Number.isFinite(n));
      if (bad >= 0) return problem(`column ${2 + 3 * j + bad} (joint ${j}) is not a finite number`);
      if (triple[2] !== 0 && triple[2] !== 1)
        return problem(`joint ${j}: visible flag must be 0 or 1, got ${triple[2]}`);
      joints.push(triple as [number, number, number]);
    }
    records.push({
      file,
      record,
      imagePath: where.path,
      claimedSize: null,
      instances: [{ record, box: null, joints }],
    });
  });
  if (records.length === 0 && problems.length === 0) throw fileProblem(file, 'the list holds no examples');
  return {
    format: 'csv',
    path: file,
    skeleton: null,
    jointCount,
    visibility: 'visible-flag',
    records,
    problems,
    skippedCrowd: 0,
    skippedNoKeypoints: 0,
  };
}
