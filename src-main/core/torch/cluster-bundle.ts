// `deeppose train --engine torch --bundle-only OUT`: a run bundle that travels to a cluster on
// its own — the bundle, the engine's Python package beside it (engine/), the torchrun line for
// each node (launch.sh) and a Slurm script (sbatch.sh). Nothing of the studio is needed there.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { Example } from '../../../src-shared/training/protocol';
import { writeRunBundle } from './run-bundle';
import { clusterLine, enginePath, sbatchScript } from './torch-launch';
import { StudioError } from '../../../src-shared/api/define';
import { checkWriteFolder } from '../files/path-policy';

/** The output rule for a bundle's folder: not a system tree or a project's bookkeeping, and new or empty (a bundle never writes over files). */
export async function checkBundleFolder(out: string): Promise<string> {
  const dir = await checkWriteFolder(resolve(out));
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new StudioError('conflict', `${dir} is not empty; a run bundle needs a new or empty folder`);
  return dir;
}

export async function writeClusterBundle(
  out: string,
  config: TrainingConfig,
  dataset: { train: Example[]; val: Example[] },
): Promise<{ dir: string; train: number; val: number; launch: string }> {
  const dir = await checkBundleFolder(out);
  mkdirSync(dir, { recursive: true });
  await writeRunBundle(dir, config, dataset);
  const engine = enginePath();
  cpSync(join(engine, 'deeppose_torch'), join(dir, 'engine', 'deeppose_torch'), {
    recursive: true,
    filter: (path) => !path.includes('__pycache__'),
  });
  cpSync(join(engine, 'pyproject.toml'), join(dir, 'engine', 'pyproject.toml'));
  const launch = `# On each node (NODE_RANK 0…NODES-1; MASTER_ADDR is node 0's address):\nexport PYTHONPATH="${join(dir, 'engine')}"\n${clusterLine(dir)}\n`;
  writeFileSync(join(dir, 'launch.sh'), `#!/bin/bash\nset -euo pipefail\n${launch}`);
  writeFileSync(join(dir, 'sbatch.sh'), sbatchScript(dir));
  chmodSync(join(dir, 'launch.sh'), 0o755);
  chmodSync(join(dir, 'sbatch.sh'), 0o755);
  return { dir, train: dataset.train.length, val: dataset.val.length, launch };
}
