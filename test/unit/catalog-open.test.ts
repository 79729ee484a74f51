import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCatalog, integrityCheck } from '../../src-main/core/catalog/open-catalog';
import { createProject, readProject } from '../../src-main/core/catalog/project-info';
import { latestVersion, migrations } from '../../src-main/core/catalog/migrations/index';
import { createRun, getRun, updateRun } from '../../src-main/core/catalog/runs';
import { addPredictions, createPredictionSet, listPredictions } from '../../src-main/core/catalog/predictions';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

test('a new catalog is durable, checked, migrated and records its migrations', () => {
  const dir = join(temp.dir, 'fresh');
  const catalog = createProject(dir, 'Fresh', LSP14);
  assert.equal(catalog.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(catalog.db.pragma('synchronous', { simple: true }), 2); // FULL
  assert.equal(catalog.db.pragma('foreign_keys', { simple: true }), 1);
  assert.deepEqual(catalog.db.prepare('SELECT version, name FROM schema_migrations').all(), [
    { version: 1, name: 'initial' },
    { version: 2, name: 'prediction-details' },
    { version: 3, name: 'run-baseline' },
    { version: 4, name: 'prediction-confidence' },
    { version: 5, name: 'prediction-dense-weights' },
    { version: 6, name: 'project-settings-absent-joints' },
    { version: 7, name: 'suggestions' },
    { version: 8, name: 'run-evaluation' },
  ]);
  const tables = (
    catalog.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
  for (const table of [
    'images',
    'instances',
    'keypoints',
    'metrics',
    'prediction_sets',
    'predictions',
    'project',
    'project_settings',
    'runs',
    'skeletons',
  ])
    assert.ok(tables.includes(table), table);
  assert.equal(integrityCheck(catalog), 'ok');
  catalog.close();
  const again = openCatalog(dir);
  assert.deepEqual(readProject(again).skeleton, LSP14);
  assert.equal(
    (again.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n,
    migrations.length,
    'nothing applied twice',
  );
  again.close();
});

test('refuses a folder without a catalog and a second project in the same folder', () => {
  assert.throws(() => openCatalog(join(temp.dir, 'nothing-here')), /is not a project: no catalog\.sqlite/);
  const dir = join(temp.dir, 'twice');
  createProject(dir, 'Once', LSP14).close();
  assert.throws(() => createProject(dir, 'Twice', LSP14), /already holds a project/);
});

test('refuses a catalog written by a newer version, and an unknown schema history', () => {
  const dir = join(temp.dir, 'newer');
  createProject(dir, 'Newer', LSP14).close();
  const raw = new Database(join(dir, 'catalog.sqlite'));
  raw
    .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    .run(latestVersion + 1, 'from-the-future', Date.now());
  raw.close();
  assert.throws(
    () => openCatalog(dir),
    new RegExp(
      `written by a newer DeepPose Studio \\(schema version ${latestVersion + 1}, this version knows up to ${latestVersion}\\)`,
    ),
  );

  const odd = join(temp.dir, 'odd');
  createProject(odd, 'Odd', LSP14).close();
  const raw2 = new Database(join(odd, 'catalog.sqlite'));
  raw2.prepare("UPDATE schema_migrations SET name = 'something-else' WHERE version = 1").run();
  raw2.close();
  assert.throws(() => openCatalog(odd), /unrecognised schema history/);
});

test('refuses a file that is not a SQLite database with a clear message', async () => {
  const dir = join(temp.dir, 'junk');
  mkdirSync(dir);
  writeFileSync(join(dir, 'catalog.sqlite'), 'this is not a database, just text that is long enough '.repeat(20));
  assert.throws(() => openCatalog(dir), /catalog\.sqlite: .*(not a usable catalog|damaged|cannot open)/);
});

test('refuses skeletons whose edges name missing joints', () => {
  assert.throws(
    () =>
      createProject(join(temp.dir, 'bad-skeleton'), 'x', {
        name: 's',
        joints: ['a', 'b'],
        edges: [[0, 2]],
        flipPairs: [],
      }),
    /joint index 2 is out of range/,
  );
});

test('a catalog from before migration 2 takes in the prediction details its build kept in JSON files, then drops the files', () => {
  const dir = join(temp.dir, 'legacy');
  const catalog = createProject(dir, 'Legacy', LSP14);
  const set = createPredictionSet(catalog, { runId: null, modelPath: '/m', source: 'folder' });
  const joints = LSP14.joints.map((_, j) => [j, j, 1] as [number, number, number]);
  addPredictions(catalog, set.id, [
    { imagePath: '/data/a.jpg', imageId: null, joints, width: null, height: null },
    { imagePath: '/data/b.jpg', imageId: null, joints, width: null, height: null },
  ]);
  catalog.close();
  // Back to the schema of version 1, as a 0.1 build left it, with its side file.
  const raw = new Database(join(dir, 'catalog.sqlite'));
  dropConfidenceColumns(raw);
  for (const column of ['backend', 'ms_mean', 'ms_std']) raw.exec(`ALTER TABLE prediction_sets DROP COLUMN ${column}`);
  for (const column of ['width', 'height']) raw.exec(`ALTER TABLE predictions DROP COLUMN ${column}`);
  raw.exec('ALTER TABLE runs DROP COLUMN baseline_val_pck');
  raw.exec('DELETE FROM schema_migrations WHERE version >= 2');
  raw.close();
  mkdirSync(join(dir, 'predictions'));
  writeFileSync(
    join(dir, 'predictions', `set-${set.id}.json`),
    JSON.stringify({
      backend: 'onnx-cpu',
      msPerImage: { mean: 12.5, std: 1.5 },
      sizes: { '/data/a.jpg': [640, 480] },
      skipped: [],
    }),
  );

  const migrated = openCatalog(dir);
  assert.deepEqual(
    migrated.db.prepare('SELECT backend, ms_mean, ms_std FROM prediction_sets WHERE id = ?').get(set.id),
    { backend: 'onnx-cpu', ms_mean: 12.5, ms_std: 1.5 },
  );
  assert.deepEqual(
    listPredictions(migrated, set.id).map((p) => [p.imagePath, p.width, p.height]),
    [
      ['/data/a.jpg', 640, 480],
      ['/data/b.jpg', null, null],
    ],
  );
  assert.equal(existsSync(join(dir, 'predictions')), false, 'the side files are gone once the catalog holds them');
  assert.equal(integrityCheck(migrated), 'ok');
  migrated.close();
});

/** Back to the schema before migration 6 (no project settings, no absent joints). */
function dropProjectSettings(raw: Database.Database): void {
  dropSuggestions(raw);
  raw.exec('DROP TABLE project_settings');
  raw.exec('ALTER TABLE keypoints DROP COLUMN absent');
  raw.exec('DELETE FROM schema_migrations WHERE version >= 6');
}

/** Back to the schema before migration 8 (runs without their evaluation report). */
function dropRunEvaluation(raw: Database.Database): void {
  for (const column of ['val_pcp', 'baseline_val_pcp', 'val_report', 'split_note', 'metric_convention'])
    raw.exec(`ALTER TABLE runs DROP COLUMN ${column}`);
  raw.exec('DELETE FROM schema_migrations WHERE version >= 8');
}

/** Back to the schema before migration 7 (no suggestions). */
function dropSuggestions(raw: Database.Database): void {
  dropRunEvaluation(raw);
  raw.exec('DROP TABLE suggested_joints; DROP TABLE suggestions');
  raw.exec('DELETE FROM schema_migrations WHERE version >= 7');
}

/** Back to the schema before migration 5 (sets read their dense weights as trained). */
function dropDenseWeights(raw: Database.Database): void {
  dropProjectSettings(raw);
  raw.exec('ALTER TABLE prediction_sets DROP COLUMN dense_weights');
  raw.exec('DELETE FROM schema_migrations WHERE version >= 5');
}

/** Back to the schema before migration 4 (no confidence proxies). */
function dropConfidenceColumns(raw: Database.Database): void {
  dropDenseWeights(raw);
  for (const column of ['flip_disagreement', 'flip_per_joint', 'last_correction', 'correction_per_joint'])
    raw.exec(`ALTER TABLE predictions DROP COLUMN ${column}`);
  raw.exec('DELETE FROM schema_migrations WHERE version >= 4');
}

test('a catalog from before migration 4 keeps its predictions, with no confidence proxies, and takes new ones', () => {
  const dir = join(temp.dir, 'before-confidence');
  const catalog = createProject(dir, 'Before', LSP14);
  const set = createPredictionSet(catalog, { runId: null, modelPath: '/m', source: 'folder' });
  const joints = LSP14.joints.map((_, j) => [j, j, 1] as [number, number, number]);
  addPredictions(catalog, set.id, [{ imagePath: '/data/old.jpg', imageId: null, joints, width: 64, height: 48 }]);
  catalog.close();
  const raw = new Database(join(dir, 'catalog.sqlite'));
  dropConfidenceColumns(raw);
  raw.close();

  const migrated = openCatalog(dir);
  const proxies = {
    flip: 0.25,
    flipPerJoint: joints.map(() => 0.25),
    correction: 0.1,
    correctionPerJoint: joints.map(() => 0.1),
  };
  addPredictions(migrated, set.id, [
    { imagePath: '/data/new.jpg', imageId: null, joints, width: 64, height: 48, confidence: proxies },
  ]);
  const [old, fresh] = listPredictions(migrated, set.id);
  assert.deepEqual(old.confidence, { flip: null, flipPerJoint: null, correction: null, correctionPerJoint: null });
  assert.deepEqual(fresh.confidence, proxies);
  assert.equal(integrityCheck(migrated), 'ok');
  migrated.close();
});

test('a catalog from before migration 5 keeps its prediction sets, read as float32, and takes int8 ones', () => {
  const dir = join(temp.dir, 'before-dense-weights');
  const catalog = createProject(dir, 'Before', LSP14);
  const set = createPredictionSet(catalog, { runId: null, modelPath: '/m', source: 'folder' });
  catalog.close();
  const raw = new Database(join(dir, 'catalog.sqlite'));
  dropDenseWeights(raw);
  raw.close();
  const migrated = openCatalog(dir);
  const fast = createPredictionSet(migrated, { runId: null, modelPath: '/m', source: 'folder', denseWeights: 'int8' });
  assert.deepEqual(migrated.db.prepare('SELECT id, dense_weights FROM prediction_sets ORDER BY id').all(), [
    { id: set.id, dense_weights: 'float32' },
    { id: fast.id, dense_weights: 'int8' },
  ]);
  assert.throws(
    () => migrated.db.prepare("UPDATE prediction_sets SET dense_weights = 'int4'").run(),
    /CHECK constraint failed/,
  );
  assert.equal(integrityCheck(migrated), 'ok');
  migrated.close();
});

test('a catalog from before migration 6 keeps its joints as they were and takes settings and absent joints', () => {
  const dir = join(temp.dir, 'before-settings');
  const catalog = createProject(dir, 'Before', LSP14);
  const image = catalog.db
    .prepare("INSERT INTO images (path, sha256, width, height, added_at) VALUES ('a.jpg', 'x', 10, 10, 0)")
    .run().lastInsertRowid;
  const instance = catalog.db
    .prepare('INSERT INTO instances (image_id, created_at) VALUES (?, 0)')
    .run(image).lastInsertRowid;
  catalog.db
    .prepare(
      "INSERT INTO keypoints (instance_id, joint, x, y, visibility, source) VALUES (?, 0, 1, 2, 2, 'human'), (?, 1, 0, 0, 0, 'human')",
    )
    .run(instance, instance);
  catalog.close();
  const raw = new Database(join(dir, 'catalog.sqlite'));
  dropProjectSettings(raw);
  raw.close();
  const migrated = openCatalog(dir);
  assert.deepEqual(migrated.db.prepare('SELECT joint, visibility, absent FROM keypoints ORDER BY joint').all(), [
    { joint: 0, visibility: 2, absent: null },
    { joint: 1, visibility: 0, absent: null },
  ]);
  migrated.db.prepare("UPDATE keypoints SET absent = 'out-of-frame' WHERE joint = 1").run();
  assert.throws(
    () => migrated.db.prepare("UPDATE keypoints SET absent = 'out-of-frame' WHERE joint = 0").run(),
    /CHECK constraint failed/,
    'a visible joint is not absent',
  );
  migrated.db.prepare("INSERT INTO project_settings (key, value, updated_at) VALUES ('train-form', '{}', 0)").run();
  assert.equal(integrityCheck(migrated), 'ok');
  migrated.close();
});

test("a catalog from before migration 8 keeps its runs' figures, marked with the metric definitions they were scored by", () => {
  const dir = join(temp.dir, 'before-run-evaluation');
  const catalog = createProject(dir, 'Before', LSP14);
  const run = createRun(catalog, { name: 'old', config: {} });
  updateRun(catalog, run.id, { bestValPck: 0.25, baselineValPck: 0.02 });
  catalog.close();
  const raw = new Database(join(dir, 'catalog.sqlite'));
  dropRunEvaluation(raw);
  raw.close();
  const migrated = openCatalog(dir);
  const old = getRun(migrated, run.id);
  assert.deepEqual(
    [old.bestValPck, old.baselineValPck, old.valPcp, old.valReport, old.metricConvention],
    [0.25, 0.02, null, null, 'rshoulder-lhip-le'],
  );
  assert.equal(createRun(migrated, { name: 'new', config: {} }).metricConvention, 'lsp');
  migrated.close();
});
