// Follows one core task from the terminal: its progress through the contract's `task.updated`
// events, Ctrl-C as `tasks.cancel` (the job stops at its next item and writes nothing), and its
// end as the result or one line. A second Ctrl-C ends the process at once.
import { ApiError } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';
import type { StudioClient } from './studio-client';

export interface FollowOptions {
  /** Called with each update while the task runs. */
  onProgress?(task: Task): void;
  /** The line a cancelled task ends with (it has no error of its own). */
  cancelled: string;
}

/** The task's result once it succeeded; a failed or cancelled task throws its one line. */
export async function followTask(client: StudioClient, taskId: string, options: FollowOptions): Promise<unknown> {
  const off = client.on('task.updated', (task) => {
    if (task.id === taskId && task.state === 'running') options.onProgress?.(task);
  });
  const interrupt = () => void client.call('tasks.cancel', { id: taskId }).catch(() => {});
  process.once('SIGINT', interrupt);
  try {
    const task = await client.settled(taskId);
    // Updates are sent at most every 100 ms: a short task's last progress may not have been seen.
    if (task.state === 'succeeded') {
      options.onProgress?.(task);
      return task.result;
    }
    if (task.state === 'cancelled') throw new ApiError('cancelled', options.cancelled, task.kind);
    // The job's own one line (a bad record, a full disk); its stack, if any, stayed in the core.
    throw new ApiError('bad-input', task.error ?? `${task.title} failed`, task.kind);
  } finally {
    process.off('SIGINT', interrupt);
    off();
  }
}

/**
 * `label: message current/total` when the stage changes and at every tenth of it: the lines
 * `import` and `export` have always printed.
 */
export function stageLines(label: string, write = (line: string) => process.stdout.write(line)) {
  let lastMessage = '';
  let lastTenth = -1;
  return (task: Task) => {
    const { current, total, message } = task;
    const tenth = total ? Math.floor((10 * current) / total) : -1;
    if (message === lastMessage && tenth === lastTenth) return;
    lastMessage = message;
    lastTenth = tenth;
    write(`${label}: ${message}${total ? ` ${current}/${total}` : current ? ` ${current}` : ''}\n`);
  };
}
