import { platform } from 'node:os';
import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { studioCalls } from '../../../../src-shared/api/studio.contract';
import { STUDIO_NAME, STUDIO_VERSION } from '../../version';

export function studioHandlers(ctx: StudioContext): HandlersOf<typeof studioCalls> {
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
