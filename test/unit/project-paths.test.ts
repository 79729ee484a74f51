import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectFilePath, safeFileName } from '../../src-renderer/src/lib/project-paths';

test("files proposed inside the project use the folder's own separator, subfolders included", () => {
  assert.equal(projectFilePath('/home/me/proj/', 'exports/run.onnx'), '/home/me/proj/exports/run.onnx');
  assert.equal(projectFilePath('C:\\Users\\me\\proj', 'exports/run.onnx'), 'C:\\Users\\me\\proj\\exports\\run.onnx');
});

test('run names become safe file names', () => {
  assert.equal(safeFileName('adam small / lr=1e-3'), 'adam-small-lr-1e-3');
  assert.equal(safeFileName('../../etc/passwd'), 'etc-passwd');
  assert.equal(safeFileName('  ***  '), 'model');
});
