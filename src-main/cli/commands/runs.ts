// `deeppose runs import DIR --project P [--out OUT]`: a run bundle written by
// `deeppose train --engine torch --bundle-only` and trained elsewhere, back in the project
// as a finished run with its curves and a model folder predict reads.
import { resolve } from 'node:path';
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { createStudio } from '../../core/studio';
import { runServiceFor } from '../../core/runs/run-service';
import { defaultHome } from '../../core/studio-home';

export const runsCommand: Command = {
  usage: [
    'deeppose runs import DIR --project P [--out OUT]',
    '',
    '  DIR        a run bundle (manifest.json) trained by the PyTorch engine',
    '  --out OUT  where that training wrote its output (default DIR/out, as the launch lines write it)',
  ].join('\n'),
  options: { project: { type: 'string' }, out: { type: 'string' }, home: { type: 'string' } },
  async run(values, positionals) {
    const [action, dir, ...rest] = positionals;
    if (action !== 'import') throw new UsageError(`unknown runs action '${action ?? ''}': use 'runs import DIR'`);
    if (!dir || rest.length) throw new UsageError('runs import takes one bundle folder');
    const project = resolve(requireString(values, 'project'));
    const studio = createStudio({ home: (values.home as string | undefined) ?? defaultHome(), door: 'cli' });
    try {
      const run = await runServiceFor(studio.context).importTrained(
        project,
        resolve(dir),
        values.out ? resolve(String(values.out)) : undefined,
      );
      const pck = run.bestValPck !== null ? ` · best validation PCK@0.2 ${(100 * run.bestValPck).toFixed(1)}%` : '';
      console.log(`imported run ${run.id}: ${run.name}${pck}`);
      console.log(`files: ${run.dir}`);
      return 0;
    } finally {
      await studio.close();
    }
  },
};
