// Leeds Sports Pose: `joints.mat` with variable `joints` beside `images/`.
// LSP: 3×14×N (x, y, 1 = occluded), images/im%04d.jpg.
// LSP extended (LSPET): 14×3×N (x, y, 1 = visible), images/im%05d.jpg.
import { stat } from 'node:fs/promises';
import { MAX_LABEL_FILE_BYTES, readRegularFile } from '../files/read-regular-file';
import { dirname, join, resolve } from 'node:path';
import { LSP14 } from '../../../src-shared/domain/skeleton';
import { readMat } from './mat5';
import { fileProblem, type ParsedDataset, type ParsedRecord } from './parsed-dataset';

const JOINTS = LSP14.joints.length;

export async function parseLsp(path: string, variant: 'lsp' | 'lspet'): Promise<ParsedDataset> {
  const given = resolve(path);
  const file = (await stat(given).catch(() => null))?.isDirectory() ? join(given, 'joints.mat') : given;
  const bytes = await readRegularFile(file, MAX_LABEL_FILE_BYTES, 'MAT-file');
  const variables = readMat(bytes, file);
  const joints = variables.find((v) => v.name === 'joints');
  if (!joints) {
    const found = variables.map((v) => `'${v.name}'`).join(', ') || 'none';
    throw fileProblem(file, `no variable 'joints' in the MAT-file (variables found: ${found})`);
  }
  if (!joints.data)
    throw fileProblem(file, `variable 'joints' is a ${joints.className} array; expected a real double or single array`);
  const dims = joints.dims.length === 2 ? [...joints.dims, 1] : joints.dims;
  const lsp = variant === 'lsp';
  const want = lsp ? [3, JOINTS] : [JOINTS, 3];
  if (dims.length !== 3 || dims[0] !== want[0] || dims[1] !== want[1]) {
    const other = lsp ? 'lspet' : 'lsp';
    const looksOther = dims.length === 3 && dims[0] === want[1] && dims[1] === want[0];
    throw fileProblem(
      file,
      `variable 'joints' is ${joints.dims.join('×')}; ${lsp ? 'LSP' : 'LSPET'} expects ${want.join('×')}×N${looksOther ? ` (this looks like --format ${other})` : ''}`,
    );
  }
  const n = dims[2];
  if (n === 0) throw fileProblem(file, `variable 'joints' holds no examples (${joints.dims.join('×')})`);
  const data = joints.data;
  // Column-major: element (r, c, k) sits at r + d0 * (c + d1 * k).
  const at = (r: number, c: number, k: number) => data[r + dims[0] * (c + dims[1] * k)];
  const dir = dirname(file);
  const records: ParsedRecord[] = [];
  for (let k = 0; k < n; k++) {
    const name = lsp ? `im${String(k + 1).padStart(4, '0')}.jpg` : `im${String(k + 1).padStart(5, '0')}.jpg`;
    const record = `example ${k + 1}`;
    const triples: [number, number, number][] = [];
    for (let j = 0; j < JOINTS; j++)
      triples.push(lsp ? [at(0, j, k), at(1, j, k), at(2, j, k)] : [at(j, 0, k), at(j, 1, k), at(j, 2, k)]);
    records.push({
      file,
      record,
      imagePath: join(dir, 'images', name),
      claimedSize: null,
      instances: [{ record, box: null, joints: triples }],
    });
  }
  const problems = records.flatMap((r) =>
    r.instances[0].joints.flatMap(([x, y, flag], j) => {
      if (!Number.isFinite(x) || !Number.isFinite(y))
        return [{ file, record: r.record, reason: `joint ${j} has a non-finite coordinate (${x}, ${y})` }];
      if (flag !== 0 && flag !== 1)
        return [{ file, record: r.record, reason: `joint ${j}: flag must be 0 or 1, got ${flag}` }];
      return [];
    }),
  );
  const bad = new Set(problems.map((p) => p.record));
  return {
    format: variant,
    path: file,
    skeleton: null,
    jointCount: JOINTS,
    visibility: lsp ? 'occluded-flag' : 'visible-flag',
    records: records.filter((r) => !bad.has(r.record)),
    problems,
    skippedCrowd: 0,
    skippedNoKeypoints: 0,
  };
}
