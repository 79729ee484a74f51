// The held-out measurement of issue 26 end to end, through the CLI as a user runs it: sample
// pictures imported from their reference list (the default split holds 10 % out as val), a
// cascade trained on them, then new pictures nobody trained on predicted and scored per stage
// and joint (PCK@0.2, LSP torso, strict <) against the mean-pose baseline. README's
// "Wrists and ankles" table comes from it.
//   node --import tsx scripts/measure-heldout.ts [--out DIR] [--count 600] [--seed 1] [--epochs 24]
//        [--new-count 100] [--new-seed 22] [--validation] [-- extra train flags]
// --validation scores a second draw of new pictures (seed 23) for screening ideas, so the
// held-out pictures (seed 22) are only looked at for reported runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';

// The CLI from source (tsx), so the tree's changes count without a build; its worker runs from source too.
const cli = resolve(import.meta.dirname, '..', 'src-main', 'cli', 'index.ts');

function deeppose(args: string[], log: string[]): string {
  const began = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const text = `${result.stdout}${result.stderr}`;
  log.push(`$ deeppose ${args.join(' ')}  (${((performance.now() - began) / 1000).toFixed(0)} s)`, text);
  if (result.status !== 0) throw new Error(`deeppose ${args[0]} failed (${result.status}):\n${text}`);
  return text;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      count: { type: 'string', default: '600' },
      seed: { type: 'string', default: '1' },
      epochs: { type: 'string', default: '24' },
      'new-count': { type: 'string', default: '100' },
      'new-seed': { type: 'string' },
      validation: { type: 'boolean', default: false },
    },
  });
  const out = resolve(values.out ?? join(tmpdir(), `heldout-${Date.now()}`));
  const newSeed = values['new-seed'] ?? (values.validation ? '23' : '22');
  mkdirSync(out, { recursive: true });
  const log: string[] = [];
  const began = performance.now();
  const loadBefore = loadavg();

  deeppose(['sample', '--out', join(out, 'train-pictures'), '--count', values.count, '--seed', '1'], log);
  deeppose(
    ['import', '--project', join(out, 'project'), '--format', 'csv', join(out, 'train-pictures', 'sample.csv')],
    log,
  );
  const train = deeppose(
    [
      'train',
      '--project',
      join(out, 'project'),
      '--model',
      'alexnet-tiny',
      '--optimizer',
      'Adam',
      '--lr',
      '0.001',
      '--epochs',
      values.epochs,
      '--batch-size',
      '16',
      '--stages',
      '3',
      '--seed',
      values.seed,
      '--val-every',
      values.epochs,
      ...positionals,
    ],
    log,
  );
  const trainSeconds = (performance.now() - began) / 1000;
  const runs = join(out, 'project', 'runs');
  const run = readdirSync(runs).find((name) => existsSync(join(runs, name, 'model')));
  if (!run) throw new Error(`no finished run in ${runs}`);
  const fresh = join(out, `new-pictures-${newSeed}`);
  deeppose(['sample', '--out', fresh, '--count', values['new-count'], '--seed', newSeed], log);
  const predicted = deeppose(
    [
      'predict',
      '--model',
      join(runs, run),
      '--input',
      join(fresh, 'sample.csv'),
      '--out',
      join(out, `predictions-${newSeed}.csv`),
      '--overwrite',
      '--no-flip-check',
    ],
    log,
  );
  writeFileSync(join(out, 'log.txt'), log.join('\n'));
  const lines = predicted.split('\n');
  const from = lines.findIndex((line) => line.startsWith('labeled list'));
  const report = lines.slice(
    from,
    lines.findIndex((line, i) => i > from && line.startsWith('wrote ')),
  );
  const validation = train.split('\n').filter((line) => /^(last validation|mean-pose baseline)/.test(line));
  console.log(
    `held-out: ${values.count} pictures (seed 1), run seed ${values.seed}, ${values.epochs} epochs, flags [${positionals.join(' ')}]; ${values['new-count']} new pictures (seed ${newSeed})`,
  );
  console.log(validation.join('\n'));
  console.log(report.join('\n'));
  console.log(
    `wall ${((performance.now() - began) / 1000).toFixed(0)} s (to the end of training ${trainSeconds.toFixed(0)} s); load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; log: ${join(out, 'log.txt')}`,
  );
}

await main();
