// Node 20's test runner takes no globs: find the test files of the kinds asked for
// (unit, integration, e2e; all by default) and hand them to `node --test` under tsx. With the
// unit tests (or `python` alone) the PyTorch engine's pytest suite runs too, with Debian's
// /usr/bin/python3 (or DEEPPOSE_PYTHON); without python3, torch or pytest it is skipped with the reason.
// No unit test is timed, and most of a unit file's time is starting its process: the unit files
// run one per core, with pytest beside them (its output held and printed after them). The
// integration and e2e files run one at a time, once pytest has ended: no timed test shares the
// cores with another test.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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

/** Runs a command to its end; resolves with its exit status (1 when it could not start or was killed). */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolve({ status: 1, output: `${output}${error.message}\n`, spawnError: error }));
    child.once('close', (status) => resolve({ status: status ?? 1, output }));
  });
}

/** The PyTorch engine's tests, started now: resolves with 0 when passed or skipped, else pytest's exit status. */
async function runPythonTests() {
  const python = process.env.DEEPPOSE_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const probe = await run(python, ['-c', 'import torch, pytest, numpy, PIL'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (probe.status !== 0) {
    const why = probe.spawnError ? `${python} not found` : `${python}: ${probe.output.trim().split('\n').pop()}`;
    console.log(
      `# SKIPPED the PyTorch engine's tests (engines/torch/tests): ${why} (Debian: apt install python3-torch python3-pytest python3-numpy python3-pil)`,
    );
    return 0;
  }
  const began = Date.now();
  const { status, output } = await run(
    python,
    ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join('engines', 'torch', 'tests')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const seconds = ((Date.now() - began) / 1000).toFixed(0);
  process.stdout.write(`# the PyTorch engine's tests (pytest, ${seconds} s beside the unit tests):\n${output}`);
  return status;
}

/** `node --test` over some files, `concurrency` files at a time, its TAP on this process's output. */
async function nodeTests(files, concurrency) {
  if (files.length === 0) return 0;
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files];
  return (await run(process.execPath, args, { stdio: 'inherit' })).status;
}

const python = kinds.includes('unit') || kinds.includes('python');
const nodeKinds = kinds.filter((kind) => kind !== 'python');
const unitFiles = nodeKinds.includes('unit') ? findTests(join('test', 'unit')) : [];
const laterFiles = nodeKinds.filter((kind) => kind !== 'unit').flatMap((kind) => findTests(join('test', kind)));
if (unitFiles.length + laterFiles.length === 0 && !python) {
  console.error(`no test files under ${kinds.map((k) => `test/${k}`).join(', ')}`);
  process.exit(1);
}
const pythonDone = python ? runPythonTests() : Promise.resolve(0);
const unitStatus = await nodeTests(unitFiles, availableParallelism());
const pythonStatus = await pythonDone;
const laterStatus = await nodeTests(laterFiles, 1);
process.exit(unitStatus || laterStatus || pythonStatus);
