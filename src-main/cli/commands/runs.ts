// `deeppose runs list|import|delete --project P`: a project's runs. `runs import DIR` brings back
// a run bundle written by `deeppose train --engine torch --bundle-only` and trained elsewhere, as a
// finished run with its curves and a model folder predict reads.
import { resolve } from 'node:path';
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import type { RunSummary } from '../../../src-shared/api/training.contract';
import { withStudio } from '../studio-client';

const pct = (value: number | null) => (value === null ? 'n/a' : `${(100 * value).toFixed(1)}%`);

/** One line per run, newest first: id, status, best validation PCK, name. */
export function runLines(runs: RunSummary[]): string[] {
  if (runs.length === 0) return ['no runs yet'];
  const width = Math.max(...runs.map((r) => r.id.length));
  return runs.map(
    (r) => `${r.id.padEnd(width)}  ${r.status.padEnd(8)}  PCK@0.2 ${pct(r.bestValPck).padStart(6)}  ${r.name}`,
  );
}

export const runsCommand: Command = {
  usage: [
    'deeppose runs list --project P',
    'deeppose runs import DIR --project P [--out OUT]',
    'deeppose runs delete RUN_ID --project P',
    '',
    '  list       the runs of the project, newest first (id, status, best validation PCK@0.2, name)',
    '  import     DIR: a run bundle (manifest.json) trained by the PyTorch engine',
    '  --out OUT  where that training wrote its output (default DIR/out, as the launch lines write it)',
    '  delete     a run that is not running, with its files',
  ].join('\n'),
  options: { project: { type: 'string' }, out: { type: 'string' }, home: { type: 'string' } },
  async run(values, positionals) {
    const [action, target, ...rest] = positionals;
    if (action !== 'list' && action !== 'import' && action !== 'delete')
      throw new UsageError(
        `unknown runs action '${action ?? ''}': use 'runs list', 'runs import DIR' or 'runs delete RUN_ID'`,
      );
    if (action === 'list' ? target !== undefined : !target || rest.length)
      throw new UsageError(
        action === 'list'
          ? 'runs list takes no argument'
          : action === 'import'
            ? 'runs import takes one bundle folder'
            : 'runs delete takes one run id',
      );
    if (action !== 'import' && values.out !== undefined) throw new UsageError('--out applies to runs import only');
    const project = resolve(requireString(values, 'project'));
    return withStudio(values.home as string | undefined, async (studio) => {
      if (action === 'list') {
        for (const line of runLines(await studio.call('runs.list', { project }))) console.log(line);
        return 0;
      }
      if (action === 'delete') {
        const { run } = await studio.call('runs.get', { project, runId: target });
        await studio.call('runs.delete', { project, runId: target });
        console.log(`deleted run ${run.id}: ${run.name} (${run.dir})`);
        return 0;
      }
      const run = await studio.call('runs.import', {
        project,
        bundle: resolve(target),
        out: values.out ? resolve(String(values.out)) : undefined,
      });
      const pck = run.bestValPck !== null ? ` · best validation PCK@0.2 ${pct(run.bestValPck)}` : '';
      console.log(`imported run ${run.id}: ${run.name}${pck}`);
      console.log(`files: ${run.dir}`);
      return 0;
    });
  },
};
