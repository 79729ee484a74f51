// Drives a real studio through its dispatcher, as a door would.
import { createStudio, type Studio } from '../../src-main/core/studio';
import type { CallInput, CallName, CallOutput } from '../../src-shared/api/contract';
import type { Task } from '../../src-shared/api/tasks.contract';

export interface TestStudio {
  studio: Studio;
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /** Waits for a task to end and returns it; throws with its error if it failed. */
  finish(taskId: string, timeoutMs?: number): Promise<Task>;
}

export function testStudio(home: string): TestStudio {
  const studio = createStudio({ home, door: 'cli' });
  async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const reply = await studio.dispatch(name, input);
    if (!reply.ok) throw new Error(`${name}: ${reply.error.kind}: ${reply.error.message}`);
    return reply.value as CallOutput<N>;
  }
  async function finish(taskId: string, timeoutMs = 240_000): Promise<Task> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = await call('tasks.get', { id: taskId });
      if (task.state !== 'running') return task;
      if (Date.now() > deadline) throw new Error(`task ${task.title} still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { studio, call, finish };
}
