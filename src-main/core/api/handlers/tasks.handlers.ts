import type { StudioContext } from '../../studio-context';
import type { Handlers } from '../dispatch';

export function taskHandlers(ctx: StudioContext): Pick<Handlers, 'tasks.list' | 'tasks.get' | 'tasks.cancel'> {
  return {
    'tasks.list': () => ctx.tasks.list(),
    'tasks.get': ({ id }) => ctx.tasks.get(id),
    'tasks.cancel': ({ id }) => ctx.tasks.cancel(id),
  };
}
