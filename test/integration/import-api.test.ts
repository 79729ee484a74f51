import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/core/studio';
import { importCommand } from '../../src-main/cli/commands/import';
import { exportCommand } from '../../src-main/cli/commands/export';
import type { Envelope } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';
import { fixturesDir, makeTempDir, repoRoot } from '../support/paths';

const temp = makeTempDir();
// The serve door may name only its --allow roots: here the test's folder and the fixtures.
const studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: [temp.dir, fixturesDir] });
after(async () => {
  await studio.close();
  temp.cleanup();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const envelope = (await studio.dispatch(name, input)) as Envelope<T>;
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.kind}: ${envelope.error.message}`);
  return envelope.value;
}

async function finished(taskId: string): Promise<Task> {
  for (;;) {
    const task = await call<Task>('tasks.get', { id: taskId });
    if (task.state !== 'running') return task;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the catalog API: create, import as a task, browse, label, split, export', async () => {
  const project = join(temp.dir, 'project');
  const created = await call<{ imageCount: number; skeleton: { joints: string[] } }>('projects.create', {
    folder: project,
    name: 'API',
    skeleton: { preset: 'lsp14' },
  });
  assert.equal(created.imageCount, 0);
  assert.equal(created.skeleton.joints.length, 14);

  const { taskId } = await call<{ taskId: string }>('datasets.import', {
    project,
    format: 'lsp',
    path: join(fixturesDir, 'lsp'),
  });
  const task = await finished(taskId);
  assert.equal(task.state, 'succeeded', task.error ?? '');
  assert.equal((task.result as { instancesAdded: number }).instancesAdded, 12);
  // The images' folder may now be served.
  await studio.context.roots.resolveFile(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'));

  const bad = await finished(
    (
      await call<{ taskId: string }>('datasets.import', {
        project,
        format: 'lsp',
        path: join(fixturesDir, 'bad', 'wrong-shape.mat'),
      })
    ).taskId,
  );
  assert.equal(bad.state, 'failed');
  assert.match(bad.error ?? '', /wrong-shape\.mat: variable 'joints' is 5×7×3/);

  const page = await call<{ total: number; items: Array<{ id: number; status: string }> }>('images.list', {
    project,
    limit: 5,
  });
  assert.equal(page.total, 12);
  assert.equal(page.items.length, 5);
  assert.ok(page.items.every((i) => i.status === 'labeled'));
  const { instances } = await call<{ instances: Array<{ id: number }> }>('images.get', {
    project,
    imageId: page.items[0].id,
  });
  const saved = await call<{ keypoints: Array<{ x: number; visibility: number }> }>('keypoints.save', {
    project,
    instanceId: instances[0].id,
    keypoints: [{ joint: 0, x: 1.5, y: 2.5, visibility: 0 }],
  });
  assert.deepEqual([saved.keypoints[0].x, saved.keypoints[0].visibility], [1.5, 0]);
  assert.equal((await call<{ items: unknown[] }>('images.list', { project, status: 'partial' })).items.length, 1);
  const added = await call<{ id: number }>('instances.create', { project, imageId: page.items[1].id });
  assert.deepEqual(await call('instances.delete', { project, instanceId: added.id }), { deleted: true });
  assert.deepEqual(await call('splits.assign', { project, seed: 1, ratios: { train: 2, val: 1, test: 1 } }), {
    train: 6,
    val: 3,
    test: 3,
    keptTest: false,
  });
  assert.deepEqual(await call('images.setSplit', { project, imageIds: [page.items[0].id], split: 'test' }), {
    updated: 1,
  });

  const out = join(project, 'export.json'); // a door writes only inside the project's folders
  const exported = await finished(
    (await call<{ taskId: string }>('datasets.export', { project, format: 'coco', path: out })).taskId,
  );
  assert.equal(exported.state, 'succeeded', exported.error ?? '');
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).annotations.length, 12);

  const listed = await call<Array<{ path: string; imageCount: number }>>('projects.list', {});
  assert.deepEqual(
    listed.map((p) => [p.path, p.imageCount]),
    [[project, 12]],
  );
  assert.equal((await call<{ perSplit: { test: number } }>('projects.open', { folder: project })).perSplit.test, 4);
  await assert.rejects(call('projects.open', { folder: join(temp.dir, 'nowhere') }), /not-found: .*is not a project/);
  await assert.rejects(
    call('projects.create', { folder: project, name: 'again', skeleton: { preset: 'coco17' } }),
    /conflict: .*already holds a project/,
  );
});

test('the CLI imports and exports with progress lines, and explains itself', async () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
  const help = cli('import', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /deeppose import --project DIR --format folder\|csv\|lsp\|lspet\|coco/);

  const project = join(temp.dir, 'cli-project');
  const imported = cli(
    'import',
    '--project',
    project,
    '--format',
    'coco',
    join(fixturesDir, 'coco', 'person_keypoints.json'),
  );
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /import: reading images \d+\/6/);
  assert.match(imported.stdout, /6 new images .* 8 new instances/);
  assert.match(imported.stdout, /skipped 1 crowd regions, 1 annotations without labeled keypoints/);

  const failed = cli('import', '--project', project, '--format', 'coco', join(fixturesDir, 'bad', 'truncated.json'));
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /truncated\.json: not valid JSON/);
  await assert.rejects(
    importCommand.run({ project, format: 'xml' }, ['x']),
    /--format must be one of folder, csv, lsp, lspet, coco, got 'xml'/,
  );
  await assert.rejects(
    exportCommand.run({ project, format: 'coco', preprocess: true }, ['x.json']),
    /--preprocess applies to --format csv only/,
  );

  const out = join(temp.dir, 'cli-out.csv');
  const exported = cli('export', '--project', project, '--format', 'csv', out);
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /wrote .*cli-out\.csv: 8 instances from 6 images/);
  assert.ok(existsSync(out));
  assert.equal(readFileSync(out, 'utf8').trim().split('\n')[0].split(',').length, 1 + 17 * 3);
});
