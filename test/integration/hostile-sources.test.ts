// Issue 23, items 1 and 2: paths read from files (a prediction list, COCO's file_name) and from
// a catalog's rows (image paths, run folders) are checked like paths the caller named. A list
// cannot widen the allowed roots; a catalog someone sent you can neither open /etc to the media
// route nor make runs.delete remove a folder outside its runs/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createStudio } from '../../src-main/core/studio';
import { createProject } from '../../src-main/core/catalog/project-info';
import { LSP14 } from '../../src-shared/domain/skeleton';
import type { Envelope } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';
import { fixturesDir, makeTempDir } from '../support/paths';
import { refusedProbe, reportHostile } from '../support/hostile-count';

const temp = makeTempDir();
const allowed = join(temp.dir, 'allowed');
const outside = join(temp.dir, 'outside');
mkdirSync(allowed);
mkdirSync(outside);
const secret = join(outside, 'secret.jpg');
copyFileSync(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'), secret);
const studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: [allowed] });
after(async () => {
  await studio.close();
  temp.cleanup();
  reportHostile('hostile-sources');
});

function refused(envelope: Envelope<unknown>, label: string, kind = 'forbidden'): string {
  assert.equal(envelope.ok, false, `${label}: expected a refusal, got ${JSON.stringify(envelope)}`);
  if (envelope.ok) return '';
  assert.equal(envelope.error.kind, kind, `${label}: ${envelope.error.message}`);
  assert.ok(!envelope.error.message.includes('\n'), `${label}: one line`);
  refusedProbe();
  return envelope.error.message;
}

async function servedNothingOutside(label: string): Promise<void> {
  for (const file of ['/etc/hostname', '/etc/passwd', secret]) {
    await assert.rejects(studio.context.roots.resolveFile(file), `${label}: ${file} must not be served`);
    refusedProbe();
  }
  assert.equal(
    studio.context.roots.list().some((root) => root === '/etc' || root.startsWith(outside)),
    false,
    `${label}: roots ${studio.context.roots.list().join(', ')}`,
  );
}

test('predict.start over a list naming files outside the roots is refused and widens nothing', async () => {
  const project = join(allowed, 'project');
  assert.ok(
    (await studio.dispatch('projects.create', { folder: project, name: 'P', skeleton: { preset: 'lsp14' } })).ok,
  );
  const model = join(allowed, 'model');
  mkdirSync(model);
  writeFileSync(join(model, 'model.json'), '{}');
  for (const lines of [
    ['/etc/hostname'],
    [secret],
    ['/etc/hostname', secret],
    [join(allowed, '..', 'outside', 'secret.jpg')],
  ]) {
    const list = join(allowed, 'list.txt');
    writeFileSync(list, lines.join('\n') + '\n');
    const message = refused(
      await studio.dispatch('predict.start', { project, model: { modelFolder: model }, source: { folder: list } }),
      `list ${lines}`,
    );
    assert.match(message, /refused/);
    await servedNothingOutside(`after list ${lines}`);
  }
  // What the widened roots let through before: an export and an import outside, now refused.
  refused(
    await studio.dispatch('datasets.export', { project, format: 'coco', path: join(outside, 'x.json') }),
    'export outside',
  );
  refused(await studio.dispatch('datasets.import', { project, format: 'folder', path: outside }), 'import outside');
  assert.equal(existsSync(join(outside, 'x.json')), false);
});

test("a catalog's image rows outside the door's places open nothing to the media route", async () => {
  // Made on the CLI (the user's own project), edited by someone else, opened through serve.
  const project = join(allowed, 'sent');
  createProject(project, 'Sent', LSP14).close();
  const db = new Database(join(project, 'catalog.sqlite'));
  const insert = db.prepare('INSERT INTO images (path, sha256, width, height, added_at) VALUES (?, ?, 10, 10, 0)');
  insert.run('/etc/hostname', 'a');
  insert.run(secret, 'b');
  insert.run('/etc/ssh/ssh_config', 'c');
  db.close();
  assert.ok((await studio.dispatch('projects.open', { folder: project })).ok);
  await servedNothingOutside('after opening the edited catalog');
});

test('COCO file_name in a system tree is refused on the desktop door too', async () => {
  const desktop = createStudio({ home: join(temp.dir, 'home-desktop'), door: 'desktop' });
  try {
    const project = join(temp.dir, 'desk-project');
    assert.ok(
      (await desktop.dispatch('projects.create', { folder: project, name: 'D', skeleton: { preset: 'lsp14' } })).ok,
    );
    const coco = JSON.parse(readFileSync(join(fixturesDir, 'coco', 'person_keypoints.json'), 'utf8'));
    coco.images[0].file_name = '/etc/hostname';
    const file = join(temp.dir, 'coco.json');
    writeFileSync(file, JSON.stringify(coco));
    const started = await desktop.dispatch('datasets.import', {
      project,
      format: 'coco',
      path: file,
      skipBadRecords: false,
    });
    assert.ok(started.ok, JSON.stringify(started));
    let task: Task;
    do {
      await new Promise((r) => setTimeout(r, 20));
      const reply = await desktop.dispatch('tasks.get', { id: (started.value as { taskId: string }).taskId });
      assert.ok(reply.ok);
      task = reply.value as Task;
    } while (task.state === 'running');
    assert.notEqual(task.state, 'succeeded', 'an import naming /etc/hostname must not succeed');
    assert.match(task.error ?? '', /\/etc\/hostname: inside the system folder \/etc; refused/);
    refusedProbe();
  } finally {
    await desktop.close();
  }
});

test('runs.delete refuses a run folder the catalog places outside runs/, and deletes nothing', async () => {
  const project = join(allowed, 'runs-project');
  createProject(project, 'R', LSP14).close();
  const victim = join(allowed, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'precious.txt'), 'keep me');
  const db = new Database(join(project, 'catalog.sqlite'));
  const insert = db.prepare(
    "INSERT INTO runs (id, name, config, backend, status, created_at, dir) VALUES (?, ?, 'null', NULL, 'stopped', 0, ?)",
  );
  insert.run('r1', 'escape', join('..', 'victim'));
  insert.run('r2', 'absolute', victim);
  insert.run('r3', 'the runs folder itself', 'runs');
  insert.run('r4', 'dotdot inside', join('runs', '..', '..', 'victim'));
  db.close();
  for (const runId of ['r1', 'r2', 'r3', 'r4']) {
    refused(await studio.dispatch('runs.delete', { project, runId }), `runs.delete ${runId}`);
    refused(await studio.dispatch('training.resume', { project, runId }), `training.resume ${runId}`);
  }
  assert.equal(readFileSync(join(victim, 'precious.txt'), 'utf8'), 'keep me');
  assert.ok(existsSync(join(project, 'catalog.sqlite')));
});
