import { join } from 'node:path';
import type { Command } from '../command';
import { optionalNumber } from '../command';
import { createStudio } from '../../core/studio';
import { defaultHome } from '../../core/studio-home';
import { startServer } from '../../serve/http-server';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { findPackageRoot } from '../../core/files/package-root';

export const serveCommand: Command = {
  usage: 'deeppose serve [--port N] [--home DIR]',
  options: { port: { type: 'string' }, home: { type: 'string' } },
  async run(values) {
    const studio = createStudio({ home: (values.home as string | undefined) ?? defaultHome(), door: 'serve' });
    const rendererDir = join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'out', 'renderer');
    const server = await startServer({ studio, rendererDir, port: optionalNumber(values, 'port') });
    console.log(`DeepPose Studio is serving at ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await studio.close();
    return 0;
  },
};
