// `deeppose train`'s flags come from the settings schema: every setting has one, a bad value is
// one line naming the flag with exit code 2, and Adam without --lr takes Adam's rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TrainingSettings } from '../../src-shared/api/training.contract';
import { settingFlags, settingsFromFlags, settingsWithoutFlag } from '../../src-main/cli/settings-flags';
import { repoRoot } from '../support/paths';
import { deepposeAll } from '../support/cli';

const noProject = join(repoRoot, 'no-such-project');
const train = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), 'train', '--project', noProject, ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );

test('bad settings are one line on stderr naming the flag and the problem, exit 2', async () => {
  const cases = [
    [['--lr=-1'], "deeppose train: --lr must be greater than 0, got '-1'"],
    [['--epochs', '1.5'], "deeppose train: --epochs must be a whole number, got '1.5'"],
    [['--batch-size', '100000'], "deeppose train: --batch-size must be at most 1024, got '100000'"],
    [['--lr-step', '10:2'], "deeppose train: --lr-step (gamma) must be at most 1, got '10:2'"],
  ] as const;
  // Independent processes: run side by side.
  const results = await deepposeAll(cases.map(([args]) => ['train', '--project', noProject, ...args]));
  cases.forEach(([args, line], i) => {
    const result = results[i];
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.ok(lines[0].startsWith(line), lines[0]);
  });
});

test('every training setting has a flag, listed by --help', () => {
  assert.deepEqual(settingsWithoutFlag, []);
  assert.deepEqual(
    settingFlags.map((f) => f.key),
    Object.keys(TrainingSettings.shape),
  );
  const help = train('--help');
  assert.equal(help.status, 0);
  for (const flag of [
    '--lr X',
    '--[no-]count-occluded',
    '--crop-scale X',
    '--lr-step EPOCHS:GAMMA',
    '--[no-]use-visibility',
  ])
    assert.ok(help.stdout.includes(flag), flag);
});

test('flags become settings; Adam without --lr uses 0.001', () => {
  assert.deepEqual(settingsFromFlags({ optimizer: 'Adam' }), { optimizer: 'Adam', lr: 0.001 });
  assert.deepEqual(settingsFromFlags({ optimizer: 'Adam', lr: '0.005' }), { optimizer: 'Adam', lr: 0.005 });
  assert.deepEqual(
    settingsFromFlags({ 'no-count-occluded': true, 'crop-scale': '1.2', 'lr-step': '30:0.1', flip: true }),
    {
      countOccluded: false,
      cropScale: 1.2,
      lrSchedule: { kind: 'step', everyEpochs: 30, gamma: 0.1 },
      flip: true,
    },
  );
  assert.deepEqual(settingsFromFlags({}), {});
});
