// Node 20's test runner takes no globs: find the test files of the kinds asked for
// (unit, integration, e2e; all by default) and hand them to `node --test` under tsx. With the
// unit tests (or `python` alone) the PyTorch engine's pytest suite runs too, with Debian's
// /usr/bin/python3 (or DEEPPOSE_PYTHON); without python3, torch or pytest it is skipped with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const kinds = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

function findTests(dir) {
  let found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

/** The PyTorch engine's tests: 0 passed or skipped, else pytest's exit status. */
function runPythonTests() {
  const python = process.env.DEEPPOSE_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const probe = spawnSync(python, ['-c', 'import torch, pytest, numpy, PIL'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    const why = probe.error ? `${python} not found` : `${python}: ${(probe.stderr || '').trim().split('\n').pop()}`;
    console.log(
      `# SKIPPED the PyTorch engine's tests (engines/torch/tests): ${why} (Debian: apt install python3-torch python3-pytest python3-numpy python3-pil)`,
    );
    return 0;
  }
  const run = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join('engines', 'torch', 'tests')], {
    stdio: 'inherit',
  });
  return run.status ?? 1;
}

const python = kinds.includes('unit') || kinds.includes('python');
const files = kinds.filter((kind) => kind !== 'python').flatMap((kind) => findTests(join('test', kind)));
if (files.length === 0 && python) process.exit(runPythonTests());
if (files.length === 0) {
  console.error(`no test files under ${kinds.map((k) => `test/${k}`).join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
const pythonStatus = python ? runPythonTests() : 0;
process.exit(result.status || pythonStatus);
