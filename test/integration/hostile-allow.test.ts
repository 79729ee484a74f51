// Probe suite (issue 14), the serve door's reach: a client holding the token names places
// outside the studio home, its open projects and the `--allow` roots (projects, imports,
// exports, model and prediction folders, the folder browser, any call's project, the images
// a list names), directly, through `..` or through a symlink. Each is refused in one line and nothing is made or read;
// inside the allowed places the same calls work, and the CLI keeps what its user typed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import { createProject } from '../../src-main/core/catalog/project-info';
import { LSP14 } from '../../src-shared/domain/skeleton';
import type { Envelope } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';
import { fixturesDir, makeTempDir, repoRoot } from '../support/paths';

const temp = makeTempDir();
const allowed = join(temp.dir, 'allowed');
const outside = join(temp.dir, 'outside');
mkdirSync(allowed);
mkdirSync(join(outside, 'images'), { recursive: true });
symlinkSync(outside, join(allowed, 'link-out'));
const foreignProject = join(outside, 'project');
createProject(foreignProject, 'Foreign', LSP14).close();

const studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: [allowed] });
after(async () => {
  await studio.close();
  temp.cleanup();
});

const lsp = { preset: 'lsp14' };
let probes = 0;

function refusedOutside(envelope: Envelope<unknown>, label: string): void {
  probes++;
  assert.equal(envelope.ok, false, `${label}: expected a refusal, got ${JSON.stringify(envelope)}`);
  if (envelope.ok) return;
  assert.equal(envelope.error.kind, 'forbidden', `${label}: ${envelope.error.message}`);
  // Issue 24: the refusal says how to allow a folder.
  assert.match(
    envelope.error.message,
    /outside the folders this studio may use \(its home, open projects and the folders given with --allow\); refused\. To use it, start the studio with `deeppose serve --allow DIR`/,
    label,
  );
  assert.ok(!envelope.error.message.includes('\n'), `${label}: one line`);
}

test('serve refuses every call that names a place outside its home, open projects and --allow roots', async () => {
  const project = join(allowed, 'project');
  assert.ok((await studio.dispatch('projects.create', { folder: project, name: 'Mine', skeleton: lsp })).ok);
  const mine = { runId: 'none', checkpoint: 'final' };
  const probesList: Array<[string, unknown]> = [
    ['projects.create', { folder: join(outside, 'p1'), name: 'x', skeleton: lsp }],
    ['projects.create', { folder: join(allowed, '..', 'outside', 'p2'), name: 'x', skeleton: lsp }],
    ['projects.create', { folder: join(allowed, 'link-out', 'p3'), name: 'x', skeleton: lsp }],
    ['projects.createSample', { folder: join(outside, 'sample'), count: 10 }],
    ['projects.open', { folder: foreignProject }],
    ['images.list', { project: foreignProject }],
    ['runs.list', { project: foreignProject }],
    ['datasets.import', { project, format: 'folder', path: join(outside, 'images') }],
    ['datasets.import', { project, format: 'csv', path: join(allowed, 'link-out', 'list.csv') }],
    ['datasets.import', { project, format: 'csv', path: join(allowed, 'list.csv'), imagesRoot: outside }],
    ['datasets.export', { project, format: 'coco', path: join(outside, 'labels.json') }],
    [
      'models.exportOnnx',
      { project, model: { modelFolder: join(outside, 'model') }, path: join(project, 'model.onnx') },
    ],
    ['models.exportOnnx', { project, model: mine, path: join(outside, 'model.onnx') }],
    ['predict.start', { project, model: { modelFolder: join(outside, 'model') }, source: { split: 'test' } }],
    ['predict.start', { project, model: mine, source: { folder: join(outside, 'images') } }],
    ['predictions.export', { project, setId: 1, format: 'csv', path: join(outside, 'predictions.csv') }],
    ['files.browse', { folder: outside }],
    ['files.browse', { folder: join(allowed, 'link-out') }],
  ];
  for (const [call, input] of probesList)
    refusedOutside(await studio.dispatch(call, input), `${call} ${JSON.stringify(input)}`);
  for (const made of ['p1', 'p2', 'p3', 'sample', 'labels.json', 'model.onnx', 'predictions.csv'])
    assert.equal(existsSync(join(outside, made)), false, made);
  // The foreign project was never opened, so its folder is served to no one.
  assert.equal(
    studio.context.roots.list().some((root) => root.startsWith(outside)),
    false,
  );
  console.log(`# serve --allow probes refused: ${probes}`);
});

test('a list inside the --allow roots that names images outside them imports none of them', async () => {
  const project = join(allowed, 'lister');
  assert.ok((await studio.dispatch('projects.create', { folder: project, name: 'Lister', skeleton: lsp })).ok);
  const secret = join(outside, 'images', 'secret.jpg');
  copyFileSync(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'), secret);
  const list = join(allowed, 'list.csv');
  writeFileSync(list, [secret, ...LSP14.joints.flatMap(() => [10, 10, 1])].join(',') + '\n');
  const started = await studio.dispatch('datasets.import', { project, format: 'csv', path: list });
  assert.ok(started.ok, JSON.stringify(started));
  let task: Task;
  do {
    await new Promise((r) => setTimeout(r, 20));
    const reply = await studio.dispatch('tasks.get', { id: (started.value as { taskId: string }).taskId });
    assert.ok(reply.ok);
    task = reply.value as Task;
  } while (task.state === 'running');
  probes++;
  assert.equal(task.state, 'failed');
  assert.match(task.error ?? '', /secret\.jpg: outside the folders this studio may use/);
  const images = await studio.dispatch('images.list', { project });
  assert.ok(images.ok && (images.value as { items: unknown[] }).items.length === 0);
  assert.equal(
    studio.context.roots.list().some((root) => root.startsWith(outside)),
    false,
    'the outside folder is not served',
  );
});

test('inside the studio home and the --allow roots the same calls work', async () => {
  assert.ok(
    (await studio.dispatch('projects.create', { folder: join(allowed, 'deep', 'p'), name: 'In', skeleton: lsp })).ok,
  );
  assert.ok(
    (
      await studio.dispatch('projects.create', {
        folder: join(temp.dir, 'home', 'projects', 'p'),
        name: 'Home',
        skeleton: lsp,
      })
    ).ok,
  );
  const listing = await studio.dispatch('files.browse', {});
  assert.ok(listing.ok && (listing.value as { folder: string }).folder === allowed, JSON.stringify(listing));
});

test('without --allow serve allows the home folder; the CLI and desktop doors are not limited here', async () => {
  const previous = process.env.HOME;
  process.env.HOME = allowed;
  const serve = createStudio({ home: join(temp.dir, 'home2'), door: 'serve' });
  process.env.HOME = previous;
  const cli = createStudio({ home: join(temp.dir, 'home3'), door: 'cli' });
  try {
    assert.ok(
      (await serve.dispatch('projects.create', { folder: join(allowed, 'by-default'), name: 'x', skeleton: lsp })).ok,
    );
    refusedOutside(
      await serve.dispatch('projects.create', { folder: join(outside, 'p4'), name: 'x', skeleton: lsp }),
      'default allow',
    );
    assert.ok(
      (await cli.dispatch('projects.create', { folder: join(outside, 'typed'), name: 'x', skeleton: lsp })).ok,
      'the CLI user typed it',
    );
  } finally {
    await serve.close();
    await cli.close();
  }
});

test('deeppose serve --allow refuses a folder that does not exist, in one line', () => {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), 'serve', '--allow', join(temp.dir, 'nope')],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr.trim(), /^deeppose serve: --allow .*nope: no such folder/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
});
