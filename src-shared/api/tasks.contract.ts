import { z } from 'zod';
import { call } from './define';

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

export const Task = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: TaskState,
  current: z.number(),
  total: z.number().nullable(),
  message: z.string(),
  error: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** Estimated seconds left, from the progress rate so far; null while unknown. */
  etaSeconds: z.number().nullable(),
  /** Free-form JSON result of a finished task (ids it created, counts, ...). */
  result: z.unknown().optional(),
});
export type Task = z.infer<typeof Task>;

export const taskCalls = {
  'tasks.list': call(z.object({}), z.array(Task), 'All tasks of this session, newest first.'),
  'tasks.get': call(z.object({ id: z.string().min(1) }), Task, 'One task by id.'),
  'tasks.cancel': call(
    z.object({ id: z.string().min(1) }),
    Task,
    'Ask a running task to stop; returns its current state.',
  ),
};

export const taskEvents = {
  'task.updated': Task,
};
