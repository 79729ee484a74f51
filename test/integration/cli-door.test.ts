// Issue 28, item 4: the CLI is a door. Every command reaches the core through the studio's
// dispatcher (one path policy and one code path with the desktop and `serve`): each command runs
// as a user runs it, with a spy on the dispatcher of the studio it opens, and no CLI module
// imports a core service (a static check over src-main/cli's imports, with the few exceptions
// named and explained).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { makeTempDir, repoRoot } from '../support/paths';
import { poseModelSkip } from '../support/pose-model';
import { createStudio } from '../../src-main/core/studio';

const temp = makeTempDir('deeppose-cli-door-');
after(() => temp.cleanup());
const home = join(temp.dir, 'home');
const spyLog = join(temp.dir, 'calls.log');

/** `node` arguments that run the CLI with the spy on its dispatcher (tsx resolved here: a command may run in another folder). */
const cliArgs = (args: string[]) => [
  '--import',
  import.meta.resolve('tsx'),
  '--import',
  join(repoRoot, 'test', 'support', 'dispatch-spy.ts'),
  join(repoRoot, 'src-main', 'cli', 'index.ts'),
  ...args,
  '--home',
  home,
];
const spyEnv = () => {
  rmSync(spyLog, { force: true });
  return { ...process.env, DISPATCH_SPY_LOG: spyLog };
};
/** The calls the command's studio answered, `name outcome` each. */
const spiedCalls = () => (existsSync(spyLog) ? readFileSync(spyLog, 'utf8').trim().split('\n').filter(Boolean) : []);

/**
 * One CLI command as a user runs it, and the calls its studio's dispatcher answered. Run from the
 * repository (workers started under tsx find it from there), or from `cwd`.
 */
function deepposeIn(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, cliArgs(args), {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: spyEnv(),
  });
  return { ...result, calls: spiedCalls() };
}
const deeppose = (...args: string[]) => deepposeIn(repoRoot, ...args);

/** A command interrupted with Ctrl-C (SIGINT) once its output matches `when`. */
async function interrupted(when: RegExp, ...args: string[]) {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: repoRoot,
    env: spyEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!sent && when.test(stdout)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { status, stdout, stderr, calls: spiedCalls(), sent };
}

/** The command succeeded and made each of `expected` through the dispatcher (answered ok). */
function reached(result: ReturnType<typeof deeppose>, label: string, expected: string[]): void {
  assert.equal(result.status, 0, `${label}: exit ${result.status}\n${result.stdout}\n${result.stderr}`);
  for (const name of expected)
    assert.ok(result.calls.includes(`${name} ok`), `${label}: no ${name} in ${result.calls}`);
}

const sample = join(temp.dir, 'sample');
const project = join(temp.dir, 'project');
let runId = '';

test('sample draws its pictures through samples.generate', () => {
  const result = deepposeIn(temp.dir, 'sample', '--out', 'sample', '--count', '24', '--seed', '3');
  reached(result, 'sample', ['samples.generate', 'tasks.get']);
  assert.match(result.stdout, /wrote 24 images to .*sample/);
  assert.match(result.stdout, /mean-pose baseline \(fit on \d+, scored on \d+/);
  assert.equal(readdirSync(join(sample, 'images')).length, 24);
});

test('import makes the project and imports through datasets.import (relative paths as typed)', () => {
  const result = deepposeIn(
    temp.dir,
    'import',
    '--project',
    'project',
    '--format',
    'coco',
    join('sample', 'person_keypoints.json'),
  );
  reached(result, 'import', ['datasets.import', 'tasks.get']);
  assert.match(result.stdout, /created project .*project \(skeleton COCO-17\)/);
  assert.match(result.stdout, /imported .*person_keypoints\.json: 24 new images/);
  assert.ok(existsSync(join(project, 'catalog.sqlite')));
});

test('a failed import into a new project is one line, through the dispatcher, and leaves nothing', () => {
  const result = deepposeIn(temp.dir, 'import', '--project', 'fresh', '--format', 'csv', join('sample', 'nothing.csv'));
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /^deeppose import: .*nothing\.csv/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack');
  assert.ok(
    result.calls.some((c) => c.startsWith('datasets.import ')),
    `${result.calls}`,
  );
  assert.equal(existsSync(join(temp.dir, 'fresh')), false);
});

test('train (a tiny schedule) estimates, starts and follows the run through the dispatcher', () => {
  const result = deeppose(
    'train',
    '--project',
    project,
    '--model',
    'alexnet-tiny',
    '--epochs',
    '1',
    '--batch-size',
    '8',
  );
  reached(result, 'train', ['training.estimate', 'training.start', 'runs.get', 'tasks.get']);
  const run = /^run (\S+): finished/m.exec(result.stdout);
  assert.ok(run, result.stdout);
  runId = run[1];
  assert.match(result.stdout, /validation after .*epoch 1\/1/);
});

test('runs list shows the run through runs.list', () => {
  const result = deeppose('runs', 'list', '--project', project);
  reached(result, 'runs list', ['runs.list']);
  assert.match(result.stdout, new RegExp(`^${runId}\\s+finished\\s+PCK@0\\.2`, 'm'));
});

test('predict writes a file through predict.toFile', () => {
  const out = join(temp.dir, 'predictions.json');
  const result = deeppose(
    'predict',
    '--model',
    join(project, 'runs', runId),
    '--input',
    join(sample, 'images'),
    '--out',
    out,
  );
  reached(result, 'predict', ['predict.toFile', 'tasks.get']);
  assert.match(result.stdout, /predicted 24 of 24 images on \S+: mean [\d.]+ ms\/image/);
  assert.equal((JSON.parse(readFileSync(out, 'utf8')) as unknown[]).length, 24);
  const again = deeppose('predict', '--model', join(project, 'runs', runId), '--input', sample, '--out', out);
  assert.equal(again.status, 1);
  assert.match(again.stderr.trim(), /^deeppose predict: .*predictions\.json already exists/);
  assert.deepEqual(again.calls, ['predict.toFile conflict']);
});

test('export writes the labels through datasets.export', () => {
  const result = deepposeIn(temp.dir, 'export', '--project', 'project', '--format', 'coco', 'labels.json');
  reached(result, 'export', ['datasets.export', 'tasks.get']);
  assert.match(result.stdout, /wrote .*labels\.json: 24 instances from 24 images/);
});

test('export-model writes ONNX through models.exportOnnx', () => {
  const result = deeppose('export-model', '--model', join(project, 'runs', runId), join(temp.dir, 'model.onnx'));
  reached(result, 'export-model', ['models.exportOnnx']);
  assert.ok(statSync(join(temp.dir, 'model.onnx')).size > 1000);
  assert.match(result.stdout, /wrote .*model\.onnx.*parameters/);
});

test('train --engine torch --bundle-only writes a bundle through training.writeBundle; runs import goes through runs.import', () => {
  const bundle = deeppose(
    'train',
    '--project',
    project,
    '--engine',
    'torch',
    '--model',
    'alexnet-tiny',
    '--epochs',
    '1',
    '--bundle-only',
    join(temp.dir, 'bundle'),
  );
  reached(bundle, 'bundle', ['training.writeBundle']);
  assert.ok(existsSync(join(temp.dir, 'bundle', 'manifest.json')), bundle.stdout);
  // Nothing trained it (that round trip runs in torch-engine.test.ts where PyTorch is installed):
  // the import is refused by the core in one line.
  const imported = deeppose('runs', 'import', join(temp.dir, 'bundle'), '--project', project);
  assert.equal(imported.status, 1, imported.stdout);
  assert.equal(imported.stderr.trim().split('\n').length, 1, imported.stderr);
  assert.match(imported.stderr, /^deeppose runs: /);
  assert.ok(
    imported.calls.some((c) => c.startsWith('runs.import ')),
    `${imported.calls}`,
  );
});

test('suggest writes suggestions through suggestions.toFile', { skip: poseModelSkip }, () => {
  const result = deeppose(
    'suggest',
    '--input',
    join(sample, 'images', readdirSync(join(sample, 'images'))[0]),
    '--out',
    join(temp.dir, 's.csv'),
  );
  reached(result, 'suggest', ['suggestions.toFile', 'tasks.get']);
  assert.match(result.stdout, /suggested \d+ people on 1 of 1 images/);
});

test('demo (a tiny schedule) goes through projects.createSample, training.start and runs.scoreNewPictures', () => {
  const result = deeppose('demo', '--out', join(temp.dir, 'demo'), '--count', '16', '--epochs', '1');
  reached(result, 'demo', ['projects.createSample', 'training.start', 'runs.get', 'runs.scoreNewPictures']);
  assert.match(result.stdout, /PCK@0\.2 on 100 new pictures/);
});

test('Ctrl-C stops a training run through training.stop: it ends stopped, with a checkpoint, exit 0', async () => {
  const result = await interrupted(
    /^train: /m,
    'train',
    '--project',
    project,
    '--model',
    'alexnet-tiny',
    '--epochs',
    '200',
    '--batch-size',
    '4',
  );
  assert.ok(result.sent, result.stdout + result.stderr);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.ok(result.calls.includes('training.stop ok'), `${result.calls}`);
  assert.match(result.stdout, /stopping: finishing the step and writing a checkpoint/);
  assert.match(result.stdout, /^run \S+: stopped/m);
});

test('Ctrl-C cancels a prediction through tasks.cancel: nothing is written, one line, exit 1', async () => {
  const out = join(temp.dir, 'cancelled.csv');
  // The demo's 100 new pictures, listed 20 times over: long enough to interrupt.
  const pictures = readdirSync(join(temp.dir, 'demo', 'new-pictures', 'images')).map((name) =>
    join(temp.dir, 'demo', 'new-pictures', 'images', name),
  );
  const list = join(temp.dir, 'many.txt');
  writeFileSync(list, Array.from({ length: 20 }, () => pictures.join('\n')).join('\n'));
  const result = await interrupted(
    /^predict: /m,
    'predict',
    '--model',
    join(project, 'runs', runId),
    '--input',
    list,
    '--out',
    out,
  );
  assert.ok(result.sent, result.stdout + result.stderr);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.ok(result.calls.includes('tasks.cancel ok'), `${result.calls}`);
  assert.equal(result.stderr.trim(), `deeppose predict: interrupted; ${out} was not written`);
  assert.equal(existsSync(out), false);
});

test('runs delete removes the run through runs.delete', () => {
  const result = deeppose('runs', 'delete', runId, '--project', project);
  reached(result, 'runs delete', ['runs.delete']);
  assert.equal(existsSync(join(project, 'runs', runId)), false);
});

test('the python a run starts is chosen where the studio runs: serve refuses torch.python', async () => {
  const studio = createStudio({ home: join(temp.dir, 'serve-home'), door: 'serve', allow: [temp.dir] });
  try {
    const reply = await studio.dispatch('training.start', {
      project,
      settings: { engine: 'torch' },
      torch: { python: join(temp.dir, 'python3') },
    });
    assert.equal(reply.ok, false);
    if (reply.ok) return;
    assert.equal(reply.error.kind, 'forbidden', reply.error.message);
    assert.match(reply.error.message, /chosen where the studio runs/);
  } finally {
    await studio.close();
  }
});

// ---- the static check: no CLI module imports a core service ----

const cliDir = join(repoRoot, 'src-main', 'cli');
const srcMain = join(repoRoot, 'src-main');

/**
 * What a CLI module may import from src-main outside src-cli, each with its reason. Everything
 * else the CLI needs from the core is a call through the dispatcher (studio-client.ts).
 */
const ALLOWED: Record<string, string> = {
  'cli/studio-client.ts -> core/studio':
    'the studio factory: the CLI opens its studio here and reaches it only by dispatch',
  'cli/studio-client.ts -> core/studio-home':
    'where the studio lives (DEEPPOSE_HOME or ~/.deeppose-studio), needed before one is open',
  'cli/main.ts -> core/version':
    'the name and version constants, printed by --help and --version without opening a studio',
  'cli/threads-option.ts -> core/parallelism':
    "--threads sets this process's thread count, which the workers it starts inherit: a process setting, not a call",
  'cli/commands/serve.ts -> core/studio': 'serve is a door itself: it opens the studio and hands it to the HTTP door',
  'cli/commands/serve.ts -> core/studio-home': 'where the studio lives, needed before one is open',
  'cli/commands/serve.ts -> serve/http-server': 'the HTTP + WebSocket door, which reaches the core only by dispatch',
  'cli/commands/serve.ts -> core/files/package-root': 'finds the built renderer the HTTP door serves',
  // bench measures the engines themselves, each in a fresh child process (its own heap, the malloc
  // tunables set at process start), against PyTorch; it reads no project and writes nothing but a
  // temporary folder: nothing the door policy governs, and a dispatcher in the loop would be
  // measured with it. See docs/ARCHITECTURE.md, "Doors".
  'cli/commands/bench.ts -> core/training/tf-production-mode': 'bench: measures the engines directly',
  'cli/commands/bench.ts -> core/training/benchmark': 'bench: measures the engines directly',
  'cli/commands/bench.ts -> core/sample/generate-sample': 'bench: its own temporary pictures to time on',
  'cli/commands/bench.ts -> core/files/package-root': 'bench: finds the PyTorch reference script',
  'cli/commands/bench.ts -> core/backends/retained-memory': 'bench: the malloc tunables of each measuring child',
  'cli/commands/bench.ts -> core/parallelism': 'bench: reports and passes on the thread count',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every module specifier of a source text: static imports, re-exports, side-effect and dynamic imports. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) found.push(match[1]);
  return found;
}

/** `cli/x.ts -> core/y` for each import of src-main outside src-main/cli that the allow-list does not name. */
function unexplainedCoreImports(file: string, source: string): string[] {
  const from = relative(srcMain, file);
  return importSpecifiers(source).flatMap((specifier) => {
    if (!specifier.startsWith('.')) return [];
    const target = relative(srcMain, resolve(dirname(file), specifier)).replace(/\.ts$/, '');
    if (target.startsWith('..') || target.startsWith('cli/')) return [];
    const edge = `${from} -> ${target}`;
    return ALLOWED[edge] ? [] : [edge];
  });
}

test('no CLI module imports a core service: only the studio factory, the dispatcher client, shared types and the named exceptions', () => {
  const offenders = sourceFiles(cliDir).flatMap((file) => unexplainedCoreImports(file, readFileSync(file, 'utf8')));
  assert.deepEqual(offenders, []);
  // Every exception is still in use (a stale one would let a new import through unexplained).
  const edges = new Set(
    sourceFiles(cliDir).flatMap((file) =>
      importSpecifiers(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('.'))
        .map(
          (s) => `${relative(srcMain, file)} -> ${relative(srcMain, resolve(dirname(file), s)).replace(/\.ts$/, '')}`,
        ),
    ),
  );
  assert.deepEqual(
    Object.keys(ALLOWED).filter((edge) => !edges.has(edge)),
    [],
  );
});

test('the static check would catch a command importing a core service (it can fail)', () => {
  const file = join(cliDir, 'commands', 'predict.ts');
  const source = [
    "import { startPredictionWorker } from '../../core/predictions/prediction-host';",
    "const { openCatalog } = await import('../../core/catalog/open-catalog');",
    "import '../../core/training/tf-production-mode';",
    "import { call } from '../studio-client';",
    "import type { Task } from '../../../src-shared/api/tasks.contract';",
  ].join('\n');
  assert.deepEqual(unexplainedCoreImports(file, source), [
    'cli/commands/predict.ts -> core/predictions/prediction-host',
    'cli/commands/predict.ts -> core/catalog/open-catalog',
    'cli/commands/predict.ts -> core/training/tf-production-mode',
  ]);
});
