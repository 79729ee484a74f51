import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudio } from '../../src-main/core/studio';
import { makeTempDir } from '../support/paths';

test('an API call with a bad argument is refused with a message naming the argument', async (t) => {
  const { dir, cleanup } = makeTempDir();
  t.after(cleanup);
  const studio = createStudio({ home: dir, door: 'cli' });
  const reply = await studio.dispatch('tasks.get', { id: 42 });
  assert.equal(reply.ok, false);
  if (reply.ok) return;
  assert.equal(reply.error.kind, 'invalid-argument');
  assert.match(reply.error.message, /argument 'id'/);
});

test('an undeclared channel is refused, a declared one answers in an ok envelope', async (t) => {
  const { dir, cleanup } = makeTempDir();
  t.after(cleanup);
  const studio = createStudio({ home: dir, door: 'cli' });
  const unknown = await studio.dispatch('fs.readFile', { path: '/etc/passwd' });
  assert.deepEqual(unknown.ok, false);
  const info = await studio.dispatch('studio.info', {});
  assert.equal(info.ok, true);
  assert.equal(info.ok && (info.value as { home: string }).home, dir);
});
