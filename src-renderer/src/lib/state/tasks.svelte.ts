// The renderer's mirror of main's task manager: every long job, its progress and end.
import type { Task } from '../../../../src-shared/api/tasks.contract';
import { api } from '../api/api';

class TaskStore {
  byId = $state<Record<string, Task>>({});

  constructor() {
    api.on('task.updated', (task) => {
      this.byId[task.id] = task;
    });
    api.call('tasks.list', {}).then((tasks) => {
      for (const task of tasks) this.byId[task.id] ??= task;
    });
    // Updates sent while the connection was down are gone: main's list is the truth again.
    api.onConnection((state) => {
      if (state === 'restored')
        void api.call('tasks.list', {}).then((tasks) => (this.byId = Object.fromEntries(tasks.map((t) => [t.id, t]))));
    });
  }

  /** Ended tasks the user put away (this page only; main keeps them). */
  dismissed = $state<Record<string, true>>({});

  get all(): Task[] {
    return Object.values(this.byId).sort((a, b) => b.startedAt - a.startedAt);
  }

  /** What the task tray shows: running tasks and ended ones not dismissed. */
  get shown(): Task[] {
    return this.all.filter((t) => t.state === 'running' || !this.dismissed[t.id]);
  }

  dismiss(ids: string[]): void {
    for (const id of ids) this.dismissed[id] = true;
  }

  /** Resolves when the task ends, with its final state. */
  async waitFor(id: string): Promise<Task> {
    for (;;) {
      const task = this.byId[id] ?? (await api.call('tasks.get', { id }));
      if (task.state !== 'running') return task;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  cancel(id: string): Promise<Task> {
    return api.call('tasks.cancel', { id });
  }
}

export const tasks = new TaskStore();
