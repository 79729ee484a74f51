// Issue 23, items 3-5: one output rule for every writer, in both doors. No writer replaces an
// existing file without overwrite, none writes into a project's own bookkeeping (catalog.sqlite
// and its -wal/-shm, runs/, stages/, lock files) or a system tree, and `export --preprocess`
// leaves no crop behind when it is killed (the next export beside it clears the dead folder).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import type { Envelope } from '../../src-shared/api/define';
import { makeTempDir, repoRoot } from '../support/paths';
import { testStudio } from '../support/studio';
import { refusedProbe, reportHostile } from '../support/hostile-count';
import { deepposeAll, type CliResult } from '../support/cli';

const temp = makeTempDir();
const project = join(temp.dir, 'project');
const out = join(temp.dir, 'out');
mkdirSync(out);
const serve = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: [temp.dir] });
const cli = testStudio(join(temp.dir, 'home-cli'));
after(async () => {
  await serve.close();
  await cli.studio.close();
  temp.cleanup();
  reportHostile('hostile-outputs');
});

before(async () => {
  const { taskId } = await cli.call('projects.createSample', { folder: project, count: 60, seed: 3 });
  const task = await cli.finish(taskId);
  assert.equal(task.state, 'succeeded', task.error ?? '');
  mkdirSync(join(project, 'runs', 'r1', 'stages'), { recursive: true });
  writeFileSync(join(project, 'runs', 'r1', 'worker.lock'), '{}');
  writeFileSync(join(project, 'runs', 'r1', 'progress.json'), '{}');
  mkdirSync(join(project, 'stages'), { recursive: true });
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function deeppose(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function refused(envelope: Envelope<unknown>, label: string, kinds = ['forbidden']): void {
  assert.equal(envelope.ok, false, `${label}: expected a refusal, got ${JSON.stringify(envelope)}`);
  if (envelope.ok) return;
  assert.ok(kinds.includes(envelope.error.kind), `${label}: ${envelope.error.kind}: ${envelope.error.message}`);
  assert.ok(!envelope.error.message.includes('\n'), `${label}: one line`);
  refusedProbe();
}

function cliRefused(result: CliResult, label: string, pattern: RegExp): void {
  assert.notEqual(result.status, 0, `${label}: expected a refusal, got ${result.stdout}`);
  assert.match(result.stderr.trim(), pattern, label);
  assert.equal(result.stderr.trim().split('\n').length, 1, `${label}: one line: ${result.stderr}`);
  refusedProbe();
}

const bookkeeping = () => [
  join(project, 'catalog.sqlite'),
  join(project, 'catalog.sqlite-wal'),
  join(project, 'catalog.sqlite-shm'),
  join(project, 'runs', 'r1', 'progress.json'),
  join(project, 'runs', 'r1', 'worker.lock'),
  join(project, 'runs', 'r1', 'stages', 'x.json'),
  join(project, 'runs', 'new.csv'),
  join(project, 'stages', 'x.csv'),
];

test("the serve door's writers refuse a project's bookkeeping and existing files without overwrite", async () => {
  assert.ok((await serve.dispatch('projects.open', { folder: project })).ok);
  const before = sha(join(project, 'catalog.sqlite'));
  for (const path of bookkeeping()) {
    refused(
      await serve.dispatch('datasets.export', { project, format: 'coco', path, overwrite: true }),
      `datasets.export ${path}`,
    );
    refused(
      await serve.dispatch('datasets.export', { project, format: 'csv', path, overwrite: true, preprocess: true }),
      `datasets.export csv ${path}`,
    );
    refused(
      await serve.dispatch('predictions.export', { project, setId: 1, format: 'csv', path, overwrite: true }),
      `predictions.export ${path}`,
    );
    refused(
      await serve.dispatch('models.exportOnnx', {
        project,
        model: { modelFolder: join(project, 'model') },
        path,
        overwrite: true,
      }),
      `models.exportOnnx ${path}`,
      ['forbidden', 'not-found'],
    );
  }
  mkdirSync(join(project, 'exports'), { recursive: true });
  const existing = join(project, 'exports', 'mine.csv');
  writeFileSync(existing, 'mine');
  for (const format of ['csv', 'coco', 'scores'] as const) {
    refused(
      await serve.dispatch('predictions.export', { project, setId: 1, format, path: existing }),
      `predictions.export ${format} existing`,
      ['conflict'],
    );
  }
  refused(
    await serve.dispatch('datasets.export', { project, format: 'csv', path: existing }),
    'datasets.export existing',
    ['conflict'],
  );
  refused(
    await serve.dispatch('predictions.export', {
      project,
      setId: 1,
      format: 'csv',
      path: '/etc/pred.csv',
      overwrite: true,
    }),
    'predictions.export /etc',
    ['forbidden'],
  );
  assert.equal(readFileSync(existing, 'utf8'), 'mine');
  assert.equal(sha(join(project, 'catalog.sqlite')), before);
  assert.ok((await serve.dispatch('images.list', { project })).ok, 'the project still opens');
});

test("the CLI's writers follow the same rule", async () => {
  const before = sha(join(project, 'catalog.sqlite'));
  const existing = join(out, 'cli-mine.csv');
  writeFileSync(existing, 'mine');
  // Each invocation is its own process and writes nothing when refused: they run side by side.
  const cases: [args: string[], label: string, pattern: RegExp][] = [];
  for (const path of bookkeeping().filter((_, i) => i % 2 === 0 || i === 7)) {
    cases.push(
      [['export', '--project', project, '--format', 'csv', '--overwrite', path], `export ${path}`, /refusing to write/],
      [
        ['predict', '--model', join(project, 'model'), '--input', out, '--overwrite', '--out', path],
        `predict --out ${path}`,
        /refusing to write/,
      ],
      [
        ['export-model', '--project', project, '--model', join(project, 'model'), '--overwrite', path],
        `export-model ${path}`,
        /refusing to write|no such|not found|usage|unknown/i,
      ],
    );
  }
  cases.push(
    [
      ['predict', '--model', join(project, 'model'), '--input', out, '--out', existing],
      'predict --out existing',
      /already exists: tick 'replace an existing file'/,
    ],
    [
      ['predict', '--model', join(project, 'model'), '--input', out, '--out', '/etc/pred.csv'],
      'predict --out /etc',
      /system folder \/etc/,
    ],
    [['export', '--project', project, '--format', 'coco', existing], 'export existing', /already exists/],
  );
  const results = await deepposeAll(cases.map(([args]) => args));
  cases.forEach(([, label, pattern], i) => cliRefused(results[i], label, pattern));
  assert.equal(readFileSync(existing, 'utf8'), 'mine');
  assert.equal(sha(join(project, 'catalog.sqlite')), before);
});

test('export --preprocess refuses crop names already taken, and replaces them only with overwrite', () => {
  const dir = join(out, 'taken');
  mkdirSync(join(dir, 'images'), { recursive: true });
  const first = deeppose('export', '--project', project, '--format', 'csv', '--preprocess', join(dir, 'a.csv'));
  assert.equal(first.status, 0, first.stderr);
  const crops = readdirSync(join(dir, 'images'));
  assert.ok(crops.length > 0);
  const mine = join(dir, 'images', crops[0]);
  writeFileSync(mine, 'my own picture');
  cliRefused(
    deeppose('export', '--project', project, '--format', 'csv', '--preprocess', join(dir, 'b.csv')),
    'crop name taken',
    /already exists .*replace an existing file/,
  );
  assert.equal(readFileSync(mine, 'utf8'), 'my own picture');
  assert.equal(existsSync(join(dir, 'b.csv')), false);
  const again = deeppose(
    'export',
    '--project',
    project,
    '--format',
    'csv',
    '--preprocess',
    '--overwrite',
    join(dir, 'b.csv'),
  );
  assert.equal(again.status, 0, again.stderr);
  assert.notEqual(readFileSync(mine, 'utf8'), 'my own picture');
});

test('kill -9 during export --preprocess leaves no crop, and the next export clears the partial folder', async () => {
  const dir = join(out, 'killed');
  mkdirSync(dir);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src-main', 'cli', 'index.ts'),
      'export',
      '--project',
      project,
      '--format',
      'csv',
      '--preprocess',
      join(dir, 'list.csv'),
    ],
    {
      cwd: repoRoot,
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const partial = join(dir, `.images.partial-${child.pid}`);
  const deadline = Date.now() + 60_000;
  while (!(existsSync(partial) && readdirSync(partial).length >= 3) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  assert.ok(existsSync(partial), 'the export started cropping');
  child.kill('SIGKILL');
  await exited;
  refusedProbe();
  assert.equal(existsSync(join(dir, 'images')), false, 'no crop reached images/');
  assert.equal(existsSync(join(dir, 'list.csv')), false, 'no list naming missing crops');
  const next = deeppose('export', '--project', project, '--format', 'csv', '--preprocess', join(dir, 'list.csv'));
  assert.equal(next.status, 0, next.stderr);
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.includes('partial')),
    [],
  );
  const lines = readFileSync(join(dir, 'list.csv'), 'utf8').trim().split('\n');
  assert.equal(readdirSync(join(dir, 'images')).length, lines.length, 'one crop per line, none extra');
});
