import { platform } from 'node:os';
import type { StudioContext } from '../../studio-context';
import type { Handlers } from '../dispatch';
import { STUDIO_NAME, STUDIO_VERSION } from '../../version';

export function studioHandlers(ctx: StudioContext): Pick<Handlers, 'studio.info'> {
  return {
    'studio.info': () => ({
      name: STUDIO_NAME,
      version: STUDIO_VERSION,
      door: ctx.door,
      home: ctx.home,
      platform: platform(),
    }),
  };
}
