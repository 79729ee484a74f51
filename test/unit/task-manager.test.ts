import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src-main/core/events/event-bus';
import { TaskManager } from '../../src-main/core/tasks/task-manager';
import type { Task } from '../../src-shared/api/tasks.contract';

test('a cancelled task ends as cancelled and its last event says so', async () => {
  const bus = new EventBus();
  const seen: Task[] = [];
  bus.subscribe((name, payload) => name === 'task.updated' && seen.push(payload as Task));
  const tasks = new TaskManager(bus);
  let steps = 0;
  const { task, done } = tasks.start('import', 'slow import', async (ctx) => {
    for (;;) {
      ctx.throwIfCancelled();
      ctx.progress(++steps, 1000);
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  await new Promise((r) => setTimeout(r, 30));
  tasks.cancel(task.id);
  await assert.rejects(done);
  const final = tasks.get(task.id);
  assert.equal(final.state, 'cancelled');
  assert.ok(final.endedAt);
  assert.equal(seen.at(-1)?.state, 'cancelled');
  assert.ok(steps > 0 && steps < 1000);
});

test('a finished task keeps its result and reports progress with an ETA on the way', async () => {
  const tasks = new TaskManager(new EventBus());
  const etas: Array<number | null> = [];
  const { task, done } = tasks.start('export', 'export', async (ctx) => {
    for (let i = 1; i <= 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      ctx.progress(i, 4);
      etas.push(tasks.get(task.id).etaSeconds);
    }
    return { written: 3 };
  });
  assert.deepEqual(await done, { written: 3 });
  assert.equal(tasks.get(task.id).state, 'succeeded');
  assert.deepEqual(tasks.get(task.id).result, { written: 3 });
  assert.ok(etas.every((e) => e !== null && e >= 0));
});

test("a job's own ETA (training knows its step rate) replaces the elapsed-time estimate", async () => {
  const tasks = new TaskManager(new EventBus());
  const { done } = tasks.start('training', 'resumed run', async (ctx) => {
    await new Promise((r) => setTimeout(r, 5));
    // A resumed run starts at iteration 900 of 1000: elapsed ÷ done would say almost nothing is left.
    ctx.progress(900, 1000, 'epoch 9/10', 120);
    const given = tasks.get(ctx.id).etaSeconds;
    ctx.progress(901, 1000, 'epoch 9/10');
    return { given, generic: tasks.get(ctx.id).etaSeconds };
  });
  const { given, generic } = await done;
  assert.equal(given, 120);
  assert.ok(generic !== null && generic < 1, `without one, the generic estimate (${generic})`);
});

test('a job stopped on request (a run stopped with a checkpoint) ends cancelled with its message and result', async () => {
  const tasks = new TaskManager(new EventBus());
  const { task, done } = tasks.start('training', 'run', async (ctx) => {
    ctx.stoppedEarly?.('stopped · checkpoint saved');
    return { status: 'stopped' };
  });
  assert.deepEqual(await done, { status: 'stopped' });
  const final = tasks.get(task.id);
  assert.equal(final.state, 'cancelled');
  assert.equal(final.message, 'stopped · checkpoint saved');
  assert.deepEqual(final.result, { status: 'stopped' });
});
