// How the PyTorch engine is started: which python3, whether it has torch, and the command
// lines — here (one process, or torchrun on this machine), and for a cluster (torchrun on each
// node with a rendezvous, and a Slurm sbatch script). Debian's torchrun 1.13 needs
// `--redirects 2 --tee 2` and only knows the underscore spellings (DESIGN.md), which every
// PyTorch since takes too.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../../src-shared/api/define';
import { findPackageRoot, unpackedPath } from '../files/package-root';

export interface TorchOptions {
  /** The python3 to run (default `python3` on PATH). */
  python?: string;
  /** Processes on this machine: GPUs, or CPU processes (default 1). */
  nproc?: number;
  /** Stop cleanly once this iteration is done, as Stop would (a stop at an exact step: resume tests). */
  stopAt?: number;
}

/** The folder holding the deeppose_torch package (PYTHONPATH for the engine). */
export function enginePath(): string {
  return unpackedPath(join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'engines', 'torch'));
}

/** The glibc tunables the studio's workers use; PyTorch's CPU step is twice as fast with them (DESIGN.md). */
export const GLIBC_TUNABLES = 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1099511627776';

export function engineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = enginePath();
  return {
    ...base,
    PYTHONPATH: base.PYTHONPATH ? `${path}:${base.PYTHONPATH}` : path,
    GLIBC_TUNABLES: base.GLIBC_TUNABLES ?? GLIBC_TUNABLES,
    PYTHONUNBUFFERED: '1',
  };
}

/** Checks python and torch; throws one line saying what is missing. Returns torch's version. */
export async function checkTorch(python: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    return stdout.trim();
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (typeof e.code === 'string')
      throw new StudioError(
        'bad-input',
        `the torch engine needs python3 with PyTorch: cannot run '${python}' (${e.code}); give --python PATH`,
      );
    const last = (e.stderr ?? '').trim().split('\n').pop() ?? '';
    throw new StudioError(
      'bad-input',
      `the torch engine needs PyTorch: '${python}' cannot import torch (${last}); install it (Debian: apt install python3-torch) or give --python PATH`,
    );
  }
}

/** The engine's arguments after the interpreter or torchrun: `-m deeppose_torch.train BUNDLE --out OUT …`. */
export function trainArgs(bundle: string, out: string, extra: string[] = []): string[] {
  return ['-m', 'deeppose_torch.train', bundle, '--out', out, ...extra];
}

/** This machine: plain python for one process, torchrun (as `python -m torch.distributed.run`, the same interpreter) for more. */
export function localCommand(python: string, nproc: number, args: string[]): { command: string; args: string[] } {
  if (nproc <= 1) return { command: python, args };
  return {
    command: python,
    args: [
      '-m',
      'torch.distributed.run',
      '--standalone',
      '--nproc_per_node',
      String(nproc),
      '--redirects',
      '2',
      '--tee',
      '2',
      ...args,
    ],
  };
}

/** The launch line for each node of a cluster (node_rank 0…NODES-1, the first node's host as the rendezvous). */
export function clusterLine(bundle: string): string {
  return [
    'torchrun --nnodes "$NODES" --nproc_per_node "$GPUS_PER_NODE" --node_rank "$NODE_RANK"',
    '--rdzv_backend c10d --rdzv_endpoint "$MASTER_ADDR:29500" --rdzv_id deeppose --redirects 2 --tee 2',
    `-m deeppose_torch.train ${shellQuote(bundle)} --out ${shellQuote(join(bundle, 'out'))}`,
  ].join(' \\\n  ');
}

export function sbatchScript(bundle: string): string {
  return `#!/bin/bash
# DeepPose Studio run bundle: train it on a Slurm cluster (one torchrun per node).
# Edit the resources; the bundle (with engine/, the Python package) must be on storage every node sees.
#SBATCH --job-name=deeppose
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=1
#SBATCH --cpus-per-task=8
#SBATCH --time=12:00:00
set -euo pipefail
export PYTHONPATH="\${PYTHONPATH:+$PYTHONPATH:}${join(bundle, 'engine')}"
MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
srun torchrun --nnodes "$SLURM_NNODES" --nproc_per_node "\${SLURM_GPUS_PER_NODE:-1}" \\
  --rdzv_backend c10d --rdzv_endpoint "$MASTER_ADDR:29500" --rdzv_id "$SLURM_JOB_ID" --redirects 2 --tee 2 \\
  -m deeppose_torch.train ${shellQuote(bundle)} --out ${shellQuote(join(bundle, 'out'))}
`;
}

function shellQuote(text: string): string {
  return /^[\w./:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
