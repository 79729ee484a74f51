// An export the caller waits for, carried as a task all the same: the task panel then shows
// it running and ends it with the files it wrote (a silent export left users guessing).
import { basename } from 'node:path';
import type { StudioContext } from '../studio-context';
import type { TaskContext } from './task-manager';

export async function runExportTask<T>(
  ctx: StudioContext,
  target: string,
  what: string,
  work: (task: TaskContext) => Promise<T>,
): Promise<T> {
  const { done } = ctx.tasks.start('export', `Export ${what} ${basename(target)}`, async (task) => {
    task.progress(0, null, `writing ${basename(target)}`);
    return work(task);
  });
  return done;
}
