import { z } from 'zod';
import { call } from './define';

export const StudioInfo = z.object({
  name: z.string(),
  version: z.string(),
  door: z.enum(['desktop', 'serve', 'cli']),
  home: z.string(),
  platform: z.string(),
});
export type StudioInfo = z.infer<typeof StudioInfo>;

export const studioCalls = {
  'studio.info': call(z.object({}), StudioInfo, 'Version, door and home folder of this studio.'),
};
