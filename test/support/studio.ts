// Drives a real studio through its dispatcher with the CLI's own client (src-main/cli/studio-client.ts),
// as a door would; a failed call's error names the call and its kind.
import { createStudio, type Studio } from '../../src-main/core/studio';
import { clientOf } from '../../src-main/cli/studio-client';
import type { CallInput, CallName, CallOutput } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';

export interface TestStudio {
  studio: Studio;
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /** Waits for a task to end and returns it, in whatever state. */
  finish(taskId: string, timeoutMs?: number): Promise<Task>;
}

export function testStudio(home: string): TestStudio {
  const studio = createStudio({ home, door: 'cli' });
  const client = clientOf(studio);
  async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    try {
      return await client.call(name, input);
    } catch (error) {
      if (error instanceof ApiError) throw new Error(`${name}: ${error.kind}: ${error.message}`, { cause: error });
      throw error;
    }
  }
  async function finish(taskId: string, timeoutMs = 240_000): Promise<Task> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`task ${taskId} still running after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([client.settled(taskId), late]);
    } finally {
      clearTimeout(timer);
    }
  }
  return { studio, call, finish };
}
