// Probe suite (issue 14), silent damage and a full disk: a 0-byte or foreign catalog is
// refused (never re-created empty, never exported as an empty list over a good file), and a
// disk that fills during an import gives one line and leaves no copies behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog } from '../../src-main/core/catalog/open-catalog';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { exportCommand } from '../../src-main/cli/commands/export';
import { describeIoError } from '../../src-main/core/files/io-errors';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

test('a 0-byte or foreign catalog.sqlite is refused with one line and left as it is', async () => {
  const empty = join(temp.dir, 'empty-project');
  mkdirSync(empty);
  writeFileSync(join(empty, 'catalog.sqlite'), '');
  assert.throws(
    () => openCatalog(empty),
    /catalog\.sqlite: the catalog is empty \(0 bytes\); refusing to re-create it/,
  );
  assert.equal(statSync(join(empty, 'catalog.sqlite')).size, 0, 'not re-created');
  assert.deepEqual(readdirSync(empty), ['catalog.sqlite'], 'no WAL or journal files made');

  const foreign = join(temp.dir, 'foreign-project');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'catalog.sqlite'), 'PK\u0003\u0004 a zip file, not a database');
  assert.throws(
    () => openCatalog(foreign),
    /catalog\.sqlite: not a usable catalog \(not a SQLite database\); refusing/,
  );

  // `deeppose export` over a good file from an unusable catalog: refused, the file kept.
  const target = join(temp.dir, 'labels.csv');
  writeFileSync(target, 'precious,1,2,1\n');
  await assert.rejects(
    exportCommand.run({ project: empty, format: 'csv', overwrite: true }, [target]),
    /the catalog is empty/,
  );
  assert.equal(readFileSync(target, 'utf8'), 'precious,1,2,1\n');
  // Without --overwrite an existing target is refused whatever the catalog holds.
  const good = join(temp.dir, 'good-project');
  createProject(good, 'Good', LSP14).close();
  await assert.rejects(
    exportCommand.run({ project: good, format: 'csv' }, [target]),
    /labels\.csv already exists: tick 'replace an existing file'/,
  );
  assert.equal(readFileSync(target, 'utf8'), 'precious,1,2,1\n');
});

test('a copy that fails midway (disk full, or anything else) leaves no copies behind and changes nothing', async () => {
  const project = join(temp.dir, 'full-disk');
  const catalog = createProject(project, 'Full', LSP14);
  const images = join(fixturesDir, 'lsp', 'images');
  const second = readFileSync(join(images, 'im0002.jpg'));
  const sha = createHash('sha256').update(second).digest('hex');
  mkdirSync(join(project, 'images'));
  // The second copy cannot be written (a folder squats on its temporary name): the first one must go too.
  mkdirSync(join(project, 'images', `${sha.slice(0, 16)}-im0002.jpg.partial`));
  await assert.rejects(importDataset(catalog, { format: 'lsp', path: join(fixturesDir, 'lsp'), copyImages: true }));
  assert.deepEqual(
    readdirSync(join(project, 'images')),
    [`${sha.slice(0, 16)}-im0002.jpg.partial`],
    'no copies left behind, only the squatter',
  );
  assert.equal((catalog.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n, 0);
  catalog.close();
});

test('disk errors become one line naming the place; other errors pass unchanged', () => {
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  assert.equal(
    (describeIoError(full, '/p/runs/1') as Error).message,
    '/p/runs/1: cannot write, the disk holding it is full',
  );
  assert.equal(
    (describeIoError(new Error('database or disk is full'), '/p') as Error).message,
    '/p: cannot write, the disk holding it is full',
  );
  const other = new Error('something else');
  assert.equal(describeIoError(other, '/p'), other);
});
