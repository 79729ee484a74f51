// One thread count for the heavy work: the machine's cores unless DEEPPOSE_THREADS (which
// the CLI's --threads sets) says otherwise, and ONNX Runtime sessions really get it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { threadCount, THREADS_ENV } from '../../src-main/core/parallelism';
import { OnnxSession } from '../../src-main/core/onnx/onnx-runtime';
import { applyThreadsOption } from '../../src-main/cli/threads-option';
import { UsageError } from '../../src-main/cli/command';

test('by default every core; DEEPPOSE_THREADS overrides; a bad value is refused by name', () => {
  assert.equal(threadCount({}), availableParallelism());
  assert.equal(threadCount({ [THREADS_ENV]: '' }), availableParallelism());
  assert.equal(threadCount({ [THREADS_ENV]: '3' }), 3);
  for (const bad of ['0', '-2', '1.5', 'many', ' '])
    assert.throws(() => threadCount({ [THREADS_ENV]: bad }), new RegExp(THREADS_ENV));
});

test('--threads sets the count for this process and the workers it starts; a bad value is a usage error', (t) => {
  const before = process.env[THREADS_ENV];
  t.after(() => (before === undefined ? delete process.env[THREADS_ENV] : (process.env[THREADS_ENV] = before)));
  applyThreadsOption({});
  assert.equal(process.env[THREADS_ENV], before);
  applyThreadsOption({ threads: '7' });
  assert.equal(process.env[THREADS_ENV], '7');
  assert.equal(threadCount(), 7);
  for (const bad of ['0', '2.5', 'x']) assert.throws(() => applyThreadsOption({ threads: bad }), UsageError);
});

const relu = {
  inputs: [{ name: 'x', shape: [2] }],
  outputs: [{ name: 'y', shape: [2] }],
  nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
};

test(
  'an ONNX Runtime session runs its intra-op pool on the thread count',
  { skip: existsSync('/proc/self/task') ? false : 'counts threads through Linux /proc' },
  (t) => {
    const before = process.env[THREADS_ENV];
    t.after(() => (before === undefined ? delete process.env[THREADS_ENV] : (process.env[THREADS_ENV] = before)));
    const threads = () => readdirSync('/proc/self/task').length;
    process.env[THREADS_ENV] = '1';
    OnnxSession.fromGraph(relu).dispose(); // the runtime's own start-up threads come first
    const base = threads();
    process.env[THREADS_ENV] = '5';
    const session = OnnxSession.fromGraph(relu);
    // A pool of n runs on the calling thread and n - 1 of its own.
    assert.equal(threads() - base, 4);
    assert.deepEqual(
      [...session.run([{ name: 'x', shape: [2], data: new Float32Array([-1, 2]) }], [{ name: 'y', shape: [2] }])[0]],
      [0, 2],
    );
    session.dispose();
  },
);
