// A project's catalog: one SQLite file, `catalog.sqlite`, in the project folder. It is the
// one place labels live, so it is opened durably (WAL, synchronous=FULL), checked on open,
// and migrated forward only from a history this build recognises.
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { diskProblemOf } from '../files/io-errors';
import { dirname, join, resolve } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { latestVersion, migrations } from './migrations/index';

export const CATALOG_FILE = 'catalog.sqlite';

export interface Catalog {
  /** Absolute path of the project folder. */
  readonly dir: string;
  readonly db: Database.Database;
  close(): void;
}

export function catalogPath(projectDir: string): string {
  return join(resolve(projectDir), CATALOG_FILE);
}

export function catalogExists(projectDir: string): boolean {
  return existsSync(catalogPath(projectDir));
}

/** Opens (creating when `create` is set) the catalog of `projectDir`, migrated to the latest schema. */
export function openCatalog(projectDir: string, options: { create?: boolean } = {}): Catalog {
  const dir = resolve(projectDir);
  const file = catalogPath(dir);
  if (!options.create && !existsSync(file))
    throw new StudioError('not-found', `${dir} is not a project: no ${CATALOG_FILE} in it`);
  // SQLite would take an empty file as a new database and fill it with empty tables: a catalog
  // that lost its bytes must stay visibly lost, so only 'create' may start from nothing.
  if (existsSync(file)) refuseNonSqlite(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new StudioError(
      'bad-input',
      readOnlyProblem(dir, file) ?? `${file}: cannot open the catalog (${(error as Error).message})`,
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
    if (check.length !== 1 || check[0].quick_check !== 'ok') {
      throw new StudioError(
        'bad-input',
        `${file}: the catalog is damaged (quick_check: ${check.map((r) => r.quick_check).join('; ')})`,
      );
    }
    migrate(db, file);
  } catch (error) {
    db.close();
    if (error instanceof StudioError) throw error;
    const disk = diskProblemOf(error);
    if (disk) throw new StudioError('bad-input', `${file}: cannot open the catalog, ${disk}`);
    const readOnly = readOnlyProblem(dir, file);
    if (readOnly) throw new StudioError('bad-input', readOnly);
    throw new StudioError('bad-input', `${file}: not a usable catalog (${(error as Error).message})`);
  }
  return { dir, db, close: () => db.close() };
}

/** Why a read-only project cannot be opened, or null: SQLite's WAL needs to write the catalog and its -wal/-shm beside it. */
function readOnlyProblem(dir: string, file: string): string | null {
  const writable = (path: string) => {
    try {
      accessSync(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!writable(dir))
    return `${dir}: the project folder is read-only; the studio writes its catalog's journal beside catalog.sqlite, so make the folder writable (or copy the project somewhere writable) to open it`;
  if (!writable(file)) return `${file}: the catalog file is read-only; make it writable to open the project`;
  return null;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function refuseNonSqlite(file: string): void {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let read: number;
  const fd = openSync(file, 'r');
  try {
    if (!fstatSync(fd).isFile())
      throw new StudioError('bad-input', `${file}: not a regular file; refusing it as the catalog`);
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0)
    throw new StudioError(
      'bad-input',
      `${file}: the catalog is empty (0 bytes); refusing to re-create it over lost labels (restore it from a backup)`,
    );
  if (read < head.length || !head.equals(SQLITE_HEADER))
    throw new StudioError(
      'bad-input',
      `${file}: not a usable catalog (not a SQLite database); refusing to open or replace it`,
    );
}

function migrate(db: Database.Database, file: string): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{
    version: number;
    name: string;
  }>;
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > latestVersion) {
    throw new StudioError(
      'conflict',
      `${file}: the catalog was written by a newer DeepPose Studio (schema version ${newest}, this version knows up to ${latestVersion}); update the studio to open it`,
    );
  }
  for (const done of applied) {
    const known = migrations.find((m) => m.version === done.version);
    if (!known || known.name !== done.name) {
      throw new StudioError(
        'conflict',
        `${file}: unrecognised schema history (migration ${done.version} '${done.name}'); refusing to touch it`,
      );
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations.filter((m) => m.version > newest)) {
    const afterCommit = db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      return migration.adopt?.(db, dirname(file));
    })();
    afterCommit?.();
  }
}

/** Full integrity check (slower than the quick_check done on open); 'ok' when sound. */
export function integrityCheck(catalog: Catalog): string {
  const rows = catalog.db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).join('; ');
}
