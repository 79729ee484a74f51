// An ended export says which files it wrote (an ONNX export used to leave them silently in exports/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taskResultLine } from '../../src-renderer/src/lib/state/task-result';

test('a succeeded export names its files and their folder', () => {
  const files = ['/p/exports/run.onnx', '/p/exports/run.stage-2.onnx', '/p/exports/run.cascade.json'];
  assert.equal(
    taskResultLine({ kind: 'export', state: 'succeeded', result: { path: files[0], files } }),
    'wrote run.onnx, run.stage-2.onnx, run.cascade.json in /p/exports',
  );
  assert.equal(
    taskResultLine({
      kind: 'export',
      state: 'succeeded',
      result: { format: 'coco', path: '/p/exports/people.json', images: 3 },
    }),
    'wrote people.json in /p/exports',
  );
});

test('nothing for a running, failed or file-less task', () => {
  assert.equal(taskResultLine({ kind: 'export', state: 'running', result: { path: '/p/a.csv' } }), null);
  assert.equal(taskResultLine({ kind: 'export', state: 'failed', result: undefined }), null);
  assert.equal(taskResultLine({ kind: 'export', state: 'succeeded', result: { imagesAdded: 3 } }), null);
  assert.equal(
    taskResultLine({
      kind: 'import',
      state: 'succeeded',
      result: { format: 'csv', path: '/d/sample.csv', imagesAdded: 3 },
    }),
    null,
    'an import wrote no file',
  );
});

test("a file given to the folder importer is called a file in its task's title, not a folder", async () => {
  const { importTaskTitle } = await import('../../src-main/core/api/handlers/catalog.handlers');
  assert.equal(
    importTaskTitle('folder', '/d/notes.txt', () => true),
    'Import file notes.txt',
  );
  assert.equal(
    importTaskTitle('folder', '/d/images', () => false),
    'Import folder images',
  );
  assert.equal(
    importTaskTitle('csv', '/d/list.csv', () => true),
    'Import csv list.csv',
  );
});
