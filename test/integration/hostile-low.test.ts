// Issue 23, item 7 (the low ones): each bad input answers one clear line and leaves nothing
// behind. Torso pairs outside the skeleton, `--epochs -5`, a 300-byte path component, a damaged
// JPEG, a read-only project, a failed import into a new project, and a worker whose parent dies.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import { createProject } from '../../src-main/core/catalog/project-info';
import { openCatalog } from '../../src-main/core/catalog/open-catalog';
import { probeImage } from '../../src-main/core/media/ingest';
import { LSP14 } from '../../src-shared/domain/skeleton';
import type { Envelope } from '../../src-shared/api/define';
import { fixturesDir, makeTempDir, repoRoot } from '../support/paths';
import { refusedProbe, reportHostile } from '../support/hostile-count';

const temp = makeTempDir();
const project = join(temp.dir, 'project');
createProject(project, 'P', LSP14).close();
const studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: [temp.dir] });
after(async () => {
  await studio.close();
  temp.cleanup();
  reportHostile('hostile-low');
});

function deeppose(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function oneLine(envelope: Envelope<unknown>, label: string, kind: string, pattern: RegExp): void {
  assert.equal(envelope.ok, false, `${label}: ${JSON.stringify(envelope)}`);
  if (envelope.ok) return;
  assert.equal(envelope.error.kind, kind, `${label}: ${envelope.error.message}`);
  assert.match(envelope.error.message, pattern, label);
  assert.ok(!envelope.error.message.includes('\n'), `${label}: one line`);
  refusedProbe();
}

function cliOneLine(result: ReturnType<typeof deeppose>, label: string, pattern: RegExp): void {
  assert.notEqual(result.status, 0, `${label}: ${result.stdout}`);
  assert.match(result.stderr.trim(), pattern, label);
  assert.equal(result.stderr.trim().split('\n').length, 1, `${label}: one line, got ${result.stderr}`);
  refusedProbe();
}

test('torso pairs naming joints outside the skeleton are refused, in both doors', async () => {
  oneLine(
    await studio.dispatch('training.start', { project, settings: { torsoPairs: [[99, 100]] } }),
    'api 99:100',
    'invalid-argument',
    /torso pair 99:100: joint 99 is not in the project's 14-joint skeleton/,
  );
  oneLine(
    await studio.dispatch('training.estimate', { project, settings: { torsoPairs: [[0, 14]] } }),
    'estimate 0:14',
    'invalid-argument',
    /joint 14 is not in/,
  );
  cliOneLine(
    deeppose('train', '--project', project, '--torso-pairs', '99:100'),
    'cli 99:100',
    /torso pair 99:100: joint 99 is not in/,
  );
});

test('`--epochs -5` with a space answers one line about the value', () => {
  cliOneLine(deeppose('train', '--project', project, '--epochs', '-5'), '--epochs -5', /--epochs/);
  cliOneLine(deeppose('export', '--project', project, '--bogus', 'x'), 'unknown option', /Unknown option '--bogus'/);
});

test('a 300-byte path component is one bad-input line, not an internal error', async () => {
  const long = join(temp.dir, 'x'.repeat(300), 'p');
  oneLine(
    await studio.dispatch('projects.create', { folder: long, name: 'x', skeleton: { preset: 'lsp14' } }),
    'create',
    'bad-input',
    /300 bytes long, above the 255/,
  );
  oneLine(
    await studio.dispatch('datasets.import', { project, format: 'folder', path: long }),
    'import',
    'bad-input',
    /above the 255/,
  );
  oneLine(
    await studio.dispatch('datasets.export', { project, format: 'csv', path: join(long, 'a.csv') }),
    'export',
    'bad-input',
    /above the 255/,
  );
});

test('a damaged JPEG is one line naming the file', async () => {
  const jpeg = readFileSync(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'));
  // Truncated data, a damaged header, a garbled start of frame: libvips repeats its complaints over several lines.
  const variants = {
    truncated: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
    header: Buffer.concat([jpeg.subarray(0, 3), Buffer.alloc(40, 0x41)]),
    garbled: Buffer.from(jpeg.map((b, i) => (i > 20 && i < 400 ? b ^ 0x5a : b))),
    tiny: jpeg.subarray(0, 300),
  };
  for (const [name, bytes] of Object.entries(variants)) {
    const damaged = join(temp.dir, `damaged-${name}.jpg`);
    writeFileSync(damaged, bytes);
    await assert.rejects(
      probeImage(damaged),
      (error: Error) => error.message.startsWith(`${damaged}: `) && !error.message.includes('\n'),
      name,
    );
    refusedProbe();
  }
});

test(
  'a read-only project says so',
  { skip: process.getuid?.() === 0 ? 'root may write anywhere: a read-only folder cannot be made here' : false },
  () => {
    const readOnly = join(temp.dir, 'read-only');
    createProject(readOnly, 'R', LSP14).close();
    for (const f of ['catalog.sqlite-wal', 'catalog.sqlite-shm'])
      if (existsSync(join(readOnly, f))) chmodSync(join(readOnly, f), 0o444);
    chmodSync(readOnly, 0o555);
    try {
      assert.throws(() => openCatalog(readOnly), /the project folder is read-only/);
      refusedProbe();
    } finally {
      chmodSync(readOnly, 0o755);
    }
  },
);

test('a failed import into a new project prints no "created project" and leaves no project', () => {
  const fresh = join(temp.dir, 'fresh', 'project');
  const bad = join(temp.dir, 'bad.csv');
  writeFileSync(bad, 'nope.jpg,1,2\n');
  const result = deeppose('import', '--project', fresh, '--format', 'csv', bad);
  assert.notEqual(result.status, 0);
  assert.doesNotMatch(result.stdout, /created project/);
  assert.equal(existsSync(fresh), false, 'no empty project left');
  refusedProbe();
  const mine = join(temp.dir, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'keep');
  assert.notEqual(deeppose('import', '--project', mine, '--format', 'csv', bad).status, 0);
  assert.equal(existsSync(join(mine, 'catalog.sqlite')), false);
  assert.equal(readFileSync(join(mine, 'notes.txt'), 'utf8'), 'keep', "the user's folder and files stay");
  refusedProbe();
});

test('a worker whose parent is killed stops without an ERR_IPC_CHANNEL_CLOSED stack', async () => {
  const child = join(temp.dir, 'child.ts');
  writeFileSync(
    child,
    `import { connectToHost } from ${JSON.stringify(join(repoRoot, 'src-main', 'core', 'worker', 'worker-port.ts'))};
const port = connectToHost<{ type: string }, { type: string }>();
port.onMessage((m) => { if (m.type === 'stop') { console.error('STOPPED'); setTimeout(() => process.exit(0), 100); } });
setInterval(() => port.send({ type: 'tick' }), 5);
`,
  );
  const parentScript = `const { fork } = require('node:child_process'); const c = fork(${JSON.stringify(child)}, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }); c.on('message', () => {}); console.log(c.pid);`;
  const parent = spawn(process.execPath, ['-e', parentScript], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  parent.stderr.on('data', (d) => (stderr += d));
  const childPid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
  );
  await new Promise((r) => setTimeout(r, 1500));
  parent.kill('SIGKILL');
  const deadline = Date.now() + 10_000;
  const alive = () => {
    try {
      process.kill(childPid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const stillAlive = alive();
  if (stillAlive) process.kill(childPid, 'SIGKILL');
  assert.doesNotMatch(stderr, /ERR_IPC_CHANNEL_CLOSED|Error \[/, stderr);
  assert.equal(stillAlive, false, 'the orphaned worker ends');
  refusedProbe();
});
