import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { integrityCheck, openCatalog } from '../../src-main/core/catalog/open-catalog';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir, repoRoot } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);
const ROWS = 20_000;

test('a child killed with SIGKILL in the middle of a large import leaves none or all of it', async () => {
  const project = join(temp.dir, 'project');
  const seeded = createProject(project, 'kill', LSP14);
  await importDataset(seeded, { format: 'lsp', path: join(fixturesDir, 'lsp-compressed') });
  const count = (sql: string) => (seeded.db.prepare(sql).get() as { n: number }).n;
  const before = {
    images: count('SELECT COUNT(*) AS n FROM images'),
    instances: count('SELECT COUNT(*) AS n FROM instances'),
  };
  seeded.close();

  // Thousands of distinct people on the lsp fixture images (coordinates shifted per row).
  const lines = readFileSync(join(fixturesDir, 'lsp', 'train.csv'), 'utf8')
    .trim()
    .split('\n');
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const [path, ...numbers] = lines[i % lines.length].split(',');
    const shifted = numbers.map((n, k) => (k % 3 === 2 ? n : String(Number(n) + (i + 1) / 1000)));
    return [join(fixturesDir, 'lsp', path), ...shifted].join(',');
  });
  const list = join(temp.dir, 'large.csv');
  writeFileSync(list, rows.join('\n'));

  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src-main', 'cli', 'index.ts'),
      'import',
      '--project',
      project,
      '--format',
      'csv',
      list,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let killedAt = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    const writing = [...output.matchAll(/writing to the catalog (\d+)\/(\d+)/g)].at(-1);
    if (!killedAt && writing && Number(writing[1]) > 0) {
      killedAt = writing[0];
      child.kill('SIGKILL');
    }
  });
  child.stderr.on('data', (chunk) => (output += chunk));
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  assert.equal(exit.signal, 'SIGKILL', `the import was not killed mid-way; it ended with ${exit.code}:\n${output}`);
  assert.ok(killedAt, output);

  const catalog = openCatalog(project);
  assert.equal(integrityCheck(catalog), 'ok');
  const images = (catalog.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
  const instances = (catalog.db.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n;
  const keypoints = (catalog.db.prepare('SELECT COUNT(*) AS n FROM keypoints').get() as { n: number }).n;
  assert.ok(
    instances === before.instances || instances === before.instances + ROWS,
    `instances ${instances} after a kill at '${killedAt}'`,
  );
  assert.equal(keypoints, instances * 14);
  // lsp-compressed holds the first pictures of lsp (the same files), which are not added again.
  const seededPictures = new Set(readdirSync(join(fixturesDir, 'lsp-compressed', 'images')));
  const newPictures = readdirSync(join(fixturesDir, 'lsp', 'images')).filter(
    (name) => !seededPictures.has(name),
  ).length;
  assert.ok(images === before.images || images === before.images + newPictures, `images ${images}`);
  catalog.close();
});
