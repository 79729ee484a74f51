// Every long job (import, export, training, prediction) runs as a task: id, progress,
// cancel, end state; updates are mirrored to the UI through the event bus.
import { randomUUID } from 'node:crypto';
import type { Task } from '../../../src-shared/api/tasks.contract';
import { StudioError } from '../../../src-shared/api/define';
import type { EventBus } from '../events/event-bus';

export interface TaskContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** `etaSeconds` when the job knows better than elapsed ÷ done (training: no start-up, resumed runs). */
  progress(current: number, total?: number | null, message?: string, etaSeconds?: number | null): void;
  /** Throws a cancelled StudioError when the task was asked to stop. */
  throwIfCancelled(): void;
  /**
   * The job ended early because someone stopped it (a run stopped with a checkpoint): the task
   * ends 'cancelled' with this message, keeping its result, not 'succeeded'.
   */
  stoppedEarly?(message: string): void;
}

export interface TaskHandle<T> {
  readonly task: Task;
  readonly done: Promise<T>;
}

const EMIT_INTERVAL_MS = 100;

export class TaskManager {
  private readonly tasks = new Map<string, { task: Task; controller: AbortController; lastEmit: number }>();

  constructor(private readonly bus: EventBus) {}

  list(): Task[] {
    return [...this.tasks.values()].map((entry) => ({ ...entry.task })).sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): Task {
    const entry = this.tasks.get(id);
    if (!entry) throw new StudioError('not-found', `no task with id '${id}'`);
    return { ...entry.task };
  }

  cancel(id: string): Task {
    const entry = this.tasks.get(id);
    if (!entry) throw new StudioError('not-found', `no task with id '${id}'`);
    if (entry.task.state === 'running') {
      entry.task.message = 'cancelling…';
      entry.controller.abort();
      this.emit(entry, true);
    }
    return { ...entry.task };
  }

  /** Starts `work` now; the returned task is already registered and running. */
  start<T>(kind: string, title: string, work: (ctx: TaskContext) => Promise<T>): TaskHandle<T> {
    const controller = new AbortController();
    const task: Task = {
      id: randomUUID(),
      kind,
      title,
      state: 'running',
      current: 0,
      total: null,
      message: '',
      error: null,
      startedAt: Date.now(),
      endedAt: null,
      etaSeconds: null,
    };
    const entry = { task, controller, lastEmit: 0 };
    this.tasks.set(task.id, entry);
    const ctx: TaskContext = {
      id: task.id,
      signal: controller.signal,
      progress: (current, total, message, etaSeconds) => {
        // A new stage is always sent (there are few): a short task's stages are not lost to the interval.
        const newStage = message !== undefined && message !== task.message;
        task.current = current;
        if (total !== undefined) task.total = total;
        if (message !== undefined) task.message = message;
        task.etaSeconds = etaSeconds !== undefined ? etaSeconds : estimateEta(task);
        this.emit(entry, newStage);
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new StudioError('cancelled', `${title}: cancelled`);
      },
      stoppedEarly: (message) => {
        stoppedMessage = message;
      },
    };
    let stoppedMessage: string | null = null;
    this.emit(entry, true);
    const done = (async () => {
      try {
        const result = await work(ctx);
        if (stoppedMessage !== null) {
          this.finish(entry, 'cancelled', null, result, stoppedMessage);
          return result;
        }
        ctx.throwIfCancelled();
        this.finish(entry, 'succeeded', null, result);
        return result;
      } catch (error) {
        const cancelled = controller.signal.aborted || (error instanceof StudioError && error.kind === 'cancelled');
        const message = error instanceof Error ? error.message : String(error);
        this.finish(entry, cancelled ? 'cancelled' : 'failed', cancelled ? null : message);
        throw error;
      }
    })();
    // Callers that only watch events must not crash the process with an unhandled rejection.
    done.catch(() => {});
    return { task: { ...task }, done };
  }

  private finish(
    entry: { task: Task; lastEmit: number; controller: AbortController },
    state: Task['state'],
    error: string | null,
    result?: unknown,
    message = 'cancelled',
  ): void {
    entry.task.state = state;
    entry.task.error = error;
    entry.task.endedAt = Date.now();
    entry.task.etaSeconds = null;
    if (state === 'cancelled') entry.task.message = message;
    if (result !== undefined) entry.task.result = result;
    this.emit(entry, true);
  }

  private emit(entry: { task: Task; lastEmit: number }, force: boolean): void {
    const now = Date.now();
    if (!force && now - entry.lastEmit < EMIT_INTERVAL_MS) return;
    entry.lastEmit = now;
    this.bus.emit('task.updated', { ...entry.task });
  }
}

function estimateEta(task: Task): number | null {
  if (!task.total || task.current <= 0) return null;
  const elapsed = (Date.now() - task.startedAt) / 1000;
  return Math.max(0, (elapsed / task.current) * (task.total - task.current));
}
