import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { taskCalls } from '../../../../src-shared/api/tasks.contract';

export function taskHandlers(ctx: StudioContext): HandlersOf<typeof taskCalls> {
  return {
    'tasks.list': () => ctx.tasks.list(),
    'tasks.get': ({ id }) => ctx.tasks.get(id),
    'tasks.cancel': ({ id }) => ctx.tasks.cancel(id),
  };
}
