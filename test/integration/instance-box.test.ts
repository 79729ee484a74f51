// 'instances.setBox' through the dispatcher: the row's box columns as written, clipped to the
// image, cleared by null; a box of no size or wholly outside the image is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { testStudio } from '../support/studio';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
const { studio, call, finish } = testStudio(join(temp.dir, 'home'));
after(async () => {
  await studio.close();
  temp.cleanup();
});

test('instances.setBox writes, clips and clears the box row, and refuses boxes of no size or off the image', async () => {
  const project = join(temp.dir, 'project');
  await call('projects.create', { folder: project, name: 'Boxes', skeleton: { preset: 'lsp14' } });
  const task = await finish(
    (await call('datasets.import', { project, format: 'folder', path: join(fixturesDir, 'lsp', 'images') })).taskId,
  );
  assert.equal(task.state, 'succeeded', task.error ?? '');
  const { items } = await call('images.list', { project, search: 'im0001', offset: 0, limit: 1 });
  const image = items[0];
  assert.deepEqual([image.width, image.height], [186, 221]);
  const instance = await call('instances.create', { project, imageId: image.id });
  assert.equal(instance.box, null);

  const row = () => {
    const db = new Database(join(project, 'catalog.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT box_x, box_y, box_w, box_h FROM instances WHERE id = ?').get(instance.id);
    } finally {
      db.close();
    }
  };

  const set = await call('instances.setBox', { project, instanceId: instance.id, box: [10.5, 20, 100, 150.25] });
  assert.deepEqual(set.box, [10.5, 20, 100, 150.25]);
  assert.deepEqual(row(), { box_x: 10.5, box_y: 20, box_w: 100, box_h: 150.25 });
  assert.deepEqual(
    (await call('images.get', { project, imageId: image.id })).instances[0].box,
    [10.5, 20, 100, 150.25],
  );

  // Past the right and top edges: kept is the part inside the 186 × 221 image.
  await call('instances.setBox', { project, instanceId: instance.id, box: [150, -10, 100, 50] });
  assert.deepEqual(row(), { box_x: 150, box_y: 0, box_w: 36, box_h: 40 });

  for (const box of [
    [10, 10, 0, 5],
    [10, 10, 5, -1],
    [10, 10, Number.NaN, 5],
  ]) {
    await assert.rejects(
      call('instances.setBox', { project, instanceId: instance.id, box: box as [number, number, number, number] }),
      /invalid-argument/,
    );
  }
  await assert.rejects(
    call('instances.setBox', { project, instanceId: instance.id, box: [200, 10, 20, 20] }),
    /invalid-argument: .*outside the 186×221 image/,
  );
  await assert.rejects(
    call('instances.setBox', { project, instanceId: instance.id + 999, box: [1, 1, 2, 2] }),
    /not-found/,
  );
  assert.deepEqual(row(), { box_x: 150, box_y: 0, box_w: 36, box_h: 40 }, 'a refused box leaves the row as it was');

  const cleared = await call('instances.setBox', { project, instanceId: instance.id, box: null });
  assert.equal(cleared.box, null);
  assert.deepEqual(row(), { box_x: null, box_y: null, box_w: null, box_h: null });
});
