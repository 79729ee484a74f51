import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AllowedRoots } from '../../src-main/core/files/allowed-roots';
import { makeTempDir } from '../support/paths';

test('files inside an allowed folder resolve; .., symlinks and sibling prefixes out of it are refused', async (t) => {
  const { dir, cleanup } = makeTempDir();
  t.after(cleanup);
  const project = join(dir, 'project');
  mkdirSync(join(project, 'images'), { recursive: true });
  writeFileSync(join(project, 'images', 'a.jpg'), 'a');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  mkdirSync(join(dir, 'project-evil'));
  writeFileSync(join(dir, 'project-evil', 'b.jpg'), 'b');
  symlinkSync(join(dir, 'secret.txt'), join(project, 'images', 'link.jpg'));
  symlinkSync(dir, join(project, 'up'));

  const roots = new AllowedRoots();
  roots.add(project);
  assert.equal(await roots.resolveFile(join(project, 'images', 'a.jpg')), join(project, 'images', 'a.jpg'));
  assert.equal(await roots.resolveFile(`${project}/images/../images/a.jpg`), join(project, 'images', 'a.jpg'));

  for (const path of [
    `${project}/../secret.txt`,
    join(project, 'images', 'link.jpg'),
    join(project, 'up', 'secret.txt'),
    join(dir, 'project-evil', 'b.jpg'),
    'images/a.jpg',
    `${project}/images/a.jpg\0.png`,
  ]) {
    await assert.rejects(
      roots.resolveFile(path),
      (error: Error & { kind?: string }) => error.kind === 'forbidden',
      path,
    );
  }
});
