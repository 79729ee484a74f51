// The python3 with PyTorch the torch engine's tests run (DEEPPOSE_PYTHON, else Debian's
// /usr/bin/python3, else python3 on PATH), or why those tests are skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function findPythonWithTorch(): { python: string; skip: false } | { python: null; skip: string } {
  const candidates = [
    process.env.DEEPPOSE_PYTHON,
    existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined,
    'python3',
  ].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch, pytest'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return { python, skip: false };
    tried.push(`${python}: ${probe.error ? 'not found' : (probe.stderr.trim().split('\n').pop() ?? 'fails')}`);
  }
  return {
    python: null,
    skip: `no python3 with PyTorch and pytest (${tried.join('; ')}); Debian: apt install python3-torch python3-pytest`,
  };
}

export const pythonWithTorch = findPythonWithTorch();
