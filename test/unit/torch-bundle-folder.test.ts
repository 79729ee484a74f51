// `--bundle-only OUT` follows the output rule: never a system tree or a project's own files,
// never a folder that already holds files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBundleFolder } from '../../src-main/core/torch/cluster-bundle';
import { makeTempDir } from '../support/paths';

test('a run bundle goes to a new or empty folder outside system trees and project bookkeeping', async (t) => {
  const temp = makeTempDir();
  t.after(() => temp.cleanup());
  assert.equal(await checkBundleFolder(join(temp.dir, 'new-bundle')), join(temp.dir, 'new-bundle'));
  mkdirSync(join(temp.dir, 'empty'));
  assert.equal(await checkBundleFolder(join(temp.dir, 'empty')), join(temp.dir, 'empty'));
  mkdirSync(join(temp.dir, 'full'));
  writeFileSync(join(temp.dir, 'full', 'manifest.json'), '{}');
  await assert.rejects(checkBundleFolder(join(temp.dir, 'full')), /is not empty/);
  await assert.rejects(checkBundleFolder('/etc/deeppose-bundle'), /system folder \/etc/);
  const project = join(temp.dir, 'project');
  mkdirSync(join(project, 'runs'), { recursive: true });
  writeFileSync(join(project, 'catalog.sqlite'), '');
  await assert.rejects(checkBundleFolder(join(project, 'runs', 'bundle')), /own files/);
});
