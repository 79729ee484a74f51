// The CLI's one way into the core: a studio opened for this process and reached only through its
// dispatcher, with a typed call() and the contract's events, as Electron IPC and serve's
// WebSocket reach it. One path policy and one code path serve every door; tests drive a studio
// through the same client (test/support/studio.ts).
import { channel } from 'node:diagnostics_channel';
import { createStudio, type Studio } from '../core/studio';
import { defaultHome } from '../core/studio-home';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';

/** Published with every studio the CLI opens: where a test (or a profiler) can watch its dispatcher. */
export const studioOpened = channel('deeppose:cli-studio');

export interface StudioClient {
  /** One call through the dispatcher; a refused or failed call throws ApiError with the core's one-line message. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /** The contract's events, as every door hears them. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The task once it has ended, in whatever state. */
  settled(taskId: string): Promise<Task>;
}

/** A client over a running studio's dispatcher. */
export function clientOf(studio: Pick<Studio, 'dispatch' | 'context'>): StudioClient {
  const client: StudioClient = {
    async call(name, input) {
      // Looked up at each call, so a wrapped dispatch (a test's spy) sees every call.
      const reply = await studio.dispatch(name, input);
      if (!reply.ok) throw new ApiError(reply.error.kind, reply.error.message, name);
      return reply.value as never;
    },
    on(event, listener) {
      return studio.context.bus.subscribe((name, payload) => {
        if (name === event) listener(payload as never);
      });
    },
    async settled(taskId) {
      let off = () => {};
      // Listening before asking, so an end between the two is not missed.
      const ended = new Promise<Task>((resolve) => {
        off = client.on('task.updated', (task) => {
          if (task.id === taskId && task.state !== 'running') resolve(task);
        });
      });
      try {
        const now = await client.call('tasks.get', { id: taskId });
        return now.state !== 'running' ? now : await ended;
      } finally {
        off();
      }
    },
  };
  return client;
}

export interface CliStudio extends StudioClient {
  close(): Promise<void>;
}

let showStacks = false;

/** --debug: unexpected errors inside the core print their stack (else the one-line message is all). */
export function showInternalStacks(on: boolean): void {
  showStacks = on;
}

/** The studio of this CLI process (home: --home, else DEEPPOSE_HOME or ~/.deeppose-studio). */
export function openStudio(home: string | undefined = undefined): CliStudio {
  const studio = createStudio({
    home: home ?? defaultHome(),
    door: 'cli',
    onInternalError: (name, error) => {
      if (showStacks) console.error(`[api] ${name}:`, error);
    },
  });
  if (studioOpened.hasSubscribers) studioOpened.publish(studio);
  return { ...clientOf(studio), close: () => studio.close() };
}

/** Runs `work` with a studio and closes it after, however `work` ends. */
export async function withStudio<T>(home: string | undefined, work: (studio: CliStudio) => Promise<T>): Promise<T> {
  const studio = openStudio(home);
  try {
    return await work(studio);
  } finally {
    await studio.close();
  }
}
