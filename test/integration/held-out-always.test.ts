// Every run reports held-out accuracy: a project imported from a reference list (every picture
// in train) gets a seeded default validation split when the run is set up, says so, and
// `deeppose train` ends with validation PCK, PCP, the baseline and a per-joint table; the
// runs table holds them; `deeppose predict` on a labeled list prints the same figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeTempDir, repoRoot } from '../support/paths';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });

test('deeppose train on a CSV-only project holds out a default val split and prints PCK, PCP and the baseline per joint', (t) => {
  const { dir, cleanup } = makeTempDir();
  t.after(cleanup);
  const sample = cli('sample', '--out', join(dir, 'sample'), '--count', '40', '--seed', '3');
  assert.equal(sample.status, 0, sample.stderr);
  const project = join(dir, 'project');
  const imported = cli('import', '--project', project, '--format', 'csv', join(dir, 'sample', 'sample.csv'));
  assert.equal(imported.status, 0, imported.stderr);
  const before = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  assert.deepEqual(before.prepare('SELECT split, COUNT(*) AS n FROM images GROUP BY split').all(), [
    { split: 'train', n: 40 },
  ]);
  before.close();

  const trained = cli(
    'train',
    '--project',
    project,
    '--home',
    join(dir, 'home'),
    '--model',
    'alexnet-tiny',
    '--optimizer',
    'Adam',
    '--epochs',
    '1',
    '--batch-size',
    '8',
    '--stages',
    '2',
    '--refine-draws',
    '1',
  );
  assert.equal(trained.status, 0, trained.stdout + trained.stderr);
  const out = trained.stdout;
  assert.match(
    out,
    /no validation pictures: held out 4 of 40 train pictures as val \(seeded default split, 10%, seed 1\)/,
  );
  assert.match(out, /best validation PCK@0\.2 \d+\.\d% \(mean-pose baseline \d+\.\d%\)/);
  assert.match(
    out,
    /last validation \(4 people\): PCK@0\.2 \d+\.\d% · PCKh@0\.5 \d+\.\d% · PCP@0\.5 \d+\.\d% \(stages: PCK@0\.2 \d+\.\d% → \d+\.\d%\)/,
  );
  assert.match(
    out,
    /mean-pose baseline on the same people: PCK@0\.2 \d+\.\d% · PCKh@0\.5 \d+\.\d% · PCP@0\.5 \d+\.\d%/,
  );
  assert.match(out, /left wrist +\d+\.\d% +\d+\.\d% +\d+\.\d% +\d+\.\d/);

  const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
  t.after(() => db.close());
  assert.deepEqual(db.prepare('SELECT split, COUNT(*) AS n FROM images GROUP BY split ORDER BY split').all(), [
    { split: 'train', n: 36 },
    { split: 'val', n: 4 },
  ]);
  const run = db
    .prepare(
      'SELECT best_val_pck, baseline_val_pck, val_pcp, baseline_val_pcp, val_report, split_note, metric_convention FROM runs',
    )
    .get() as Record<string, unknown>;
  for (const column of ['best_val_pck', 'baseline_val_pck', 'val_pcp', 'baseline_val_pcp'])
    assert.equal(typeof run[column], 'number', `${column}: ${run[column]}`);
  assert.equal(run.metric_convention, 'lsp');
  assert.match(String(run.split_note), /held out 4 of 40/);
  const report = JSON.parse(String(run.val_report));
  assert.equal(report.stages.length, 2);
  assert.equal(report.stages[1].pckPerJoint.length, 14);

  // `deeppose predict` on a labeled list (new pictures) scores every stage against the mean-pose baseline.
  const fresh = cli('sample', '--out', join(dir, 'new'), '--count', '6', '--seed', '9');
  assert.equal(fresh.status, 0, fresh.stderr);
  const runDir = join(project, 'runs', String((db.prepare('SELECT id FROM runs').get() as { id: string }).id));
  const predicted = cli(
    'predict',
    '--model',
    runDir,
    '--input',
    join(dir, 'new', 'sample.csv'),
    '--out',
    join(dir, 'out.csv'),
    '--no-flip-check',
  );
  assert.equal(predicted.status, 0, predicted.stdout + predicted.stderr);
  assert.match(
    predicted.stdout,
    /labeled list, 6 pictures \(6 people\): PCK@0\.2 \d+\.\d% · PCKh@0\.5 \d+\.\d% · PCP@0\.5 \d+\.\d% \(stages: PCK@0\.2 \d+\.\d% → \d+\.\d%\)/,
  );
  assert.match(predicted.stdout, /mean-pose baseline on the same people: PCK@0\.2 \d+\.\d%/);
  assert.match(predicted.stdout, /right ankle +\d+\.\d% +\d+\.\d% +\d+\.\d% +\d+\.\d/);
});
