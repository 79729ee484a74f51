import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as settle } from 'node:timers/promises';
import { AutosaveQueue, type AutosaveStatus, type Timers } from '../../src-renderer/src/lib/annotation/autosave';

/** Virtual time: callbacks run when `advance` passes their due time. */
class FakeTimers implements Timers {
  now = 0;
  private pending = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  set(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
      await settle();
      await settle();
    }
    this.now = until;
  }
}

test('edits within the debounce are written once, with the latest state', async () => {
  const timers = new FakeTimers();
  const writes: Array<[string, number]> = [];
  const queue = new AutosaveQueue<number>(async (key, value) => void writes.push([key, value]), {
    debounceMs: 300,
    timers,
  });
  queue.schedule('a', 1);
  await timers.advance(100);
  queue.schedule('a', 2);
  queue.schedule('b', 9);
  await timers.advance(250);
  assert.deepEqual(writes, []);
  await timers.advance(100);
  assert.deepEqual(writes, [
    ['a', 2],
    ['b', 9],
  ]);
  assert.equal(queue.status.pending, 0);
});

test('a failed write is reported and retried until it succeeds', async () => {
  const timers = new FakeTimers();
  let failuresLeft = 2;
  const written: number[] = [];
  const statuses: AutosaveStatus[] = [];
  const queue = new AutosaveQueue<number>(
    async (_key, value) => {
      if (failuresLeft-- > 0) throw new Error('connection to the studio was lost');
      written.push(value);
    },
    { debounceMs: 300, retryDelaysMs: [500, 1000], timers, onChange: (s) => statuses.push(s) },
  );
  queue.schedule('a', 5);
  await timers.advance(300);
  assert.deepEqual(queue.status.failures, [{ key: 'a', message: 'connection to the studio was lost', attempts: 1 }]);
  await timers.advance(500);
  assert.equal(queue.status.failures[0].attempts, 2);
  await timers.advance(999);
  assert.deepEqual(written, []);
  await timers.advance(1);
  assert.deepEqual(written, [5]);
  assert.deepEqual(queue.status, { pending: 0, failures: [] });
  assert.ok(statuses.some((s) => s.failures.length > 0));
});

test('a newer state replaces a failing one instead of being lost behind it', async () => {
  const timers = new FakeTimers();
  let fail = true;
  const written: number[] = [];
  const queue = new AutosaveQueue<number>(
    async (_key, value) => {
      if (fail) throw new Error('down');
      written.push(value);
    },
    { debounceMs: 300, retryDelaysMs: [5000], timers },
  );
  queue.schedule('a', 1);
  await timers.advance(300);
  fail = false;
  queue.schedule('a', 2);
  await timers.advance(300);
  assert.deepEqual(written, [2]);
  await timers.advance(10_000);
  assert.deepEqual(written, [2]);
});

test('a state scheduled while its key is being written is written after it, in order', async () => {
  const timers = new FakeTimers();
  const written: number[] = [];
  let release!: () => void;
  const queue = new AutosaveQueue<number>(
    async (_key, value) => {
      if (value === 1) await new Promise<void>((resolve) => (release = resolve));
      written.push(value);
    },
    { debounceMs: 10, timers },
  );
  queue.schedule('a', 1);
  await timers.advance(10);
  queue.schedule('a', 2);
  await timers.advance(10);
  assert.deepEqual(written, []);
  const idle = queue.idle();
  release();
  await settle();
  await settle();
  await idle;
  assert.deepEqual(written, [1, 2]);
});

test('flush writes at once without waiting for the debounce', async () => {
  const timers = new FakeTimers();
  const written: number[] = [];
  const queue = new AutosaveQueue<number>(async (_key, value) => void written.push(value), { debounceMs: 300, timers });
  queue.schedule('a', 3);
  queue.flush();
  await timers.advance(0);
  assert.deepEqual(written, [3]);
});
