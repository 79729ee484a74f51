import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command';
import { optionalNumber, UsageError } from '../command';
import { createStudio } from '../../core/studio';
import { defaultHome } from '../../core/studio-home';
import { startServer } from '../../serve/http-server';
import { findPackageRoot } from '../../core/files/package-root';

/** The --allow folders as given (relative to the working directory: the user typed them); each must be an existing folder. */
function allowedFolders(given: string[] | undefined): string[] | undefined {
  return given?.map((folder) => {
    const dir = resolve(folder);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      throw new UsageError(`--allow ${folder}: no such folder`);
    return dir;
  });
}

export const serveCommand: Command = {
  usage: [
    'deeppose serve [--port N] [--home DIR] [--allow DIR]...',
    '  --allow DIR  a folder the browser may name for projects, imports, exports and predictions',
    '               (repeatable; default: your home folder). The studio home and open projects are always allowed.',
  ].join('\n'),
  options: { port: { type: 'string' }, home: { type: 'string' }, allow: { type: 'string', multiple: true } },
  async run(values) {
    const allow = allowedFolders(values.allow as string[] | undefined);
    const studio = createStudio({ home: (values.home as string | undefined) ?? defaultHome(), door: 'serve', allow });
    const rendererDir = join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'out', 'renderer');
    const server = await startServer({ studio, rendererDir, port: optionalNumber(values, 'port') });
    console.log(`DeepPose Studio is serving at ${server.url}`);
    console.log(`Paths the browser may use: the studio home, open projects and ${(allow ?? [homedir()]).join(', ')}`);
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
