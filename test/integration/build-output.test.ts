// What only a real Electron would reveal, checked on the build output instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/paths';

const out = join(repoRoot, 'out');

test('the sandboxed preload is CommonJS: it requires electron and has no ES module syntax', () => {
  const preload = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
  assert.match(preload, /require\(["']electron["']\)/);
  assert.doesNotMatch(preload, /^\s*(import|export)\s/m);
  assert.match(preload, /exposeInMainWorld\(["']deeppose["']/);
});

test('the main bundle creates windows isolated, sandboxed, without node, and starts workers as utility processes', () => {
  const main = readFileSync(join(out, 'main', 'index.js'), 'utf8');
  assert.match(main, /contextIsolation:\s*(true|!0)/);
  assert.match(main, /sandbox:\s*(true|!0)/);
  assert.match(main, /nodeIntegration:\s*(false|!1)/);
  assert.match(main, /preload\/index\.cjs/);
  assert.match(main, /utilityProcess\.fork/);
});

test('the worker and CLI entries are built files next to the main bundle', () => {
  assert.ok(existsSync(join(out, 'main', 'worker.js')), 'out/main/worker.js is missing');
  assert.ok(existsSync(join(out, 'main', 'cli.js')), 'out/main/cli.js is missing');
  assert.ok(existsSync(join(out, 'renderer', 'index.html')), 'out/renderer/index.html is missing');
});

/** The chunks `entry` reaches through static and dynamic imports of other chunks, itself included. */
function reachableChunks(dir: string, entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    const code = readFileSync(path, 'utf8');
    seen.set(path, code);
    for (const [, spec] of code.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g))
      visit(join(dirname(path), spec));
  };
  visit(join(dir, entry));
  return seen;
}

test("the desktop's core host never loads TensorFlow.js: its bundle reaches no @tensorflow import", () => {
  const chunks = join(out, 'main', 'chunks');
  const host = readdirSync(chunks).find((name) => name.startsWith('core-host-entry-'));
  assert.ok(host, 'out/main/chunks holds the core host entry');
  const reached = reachableChunks(chunks, host);
  const offenders = [...reached]
    .filter(([, code]) => /(?:from\s*|import\s*\(\s*|import\s+|require\(\s*)["']@tensorflow\//.test(code))
    .map(([path]) => path);
  assert.deepEqual(offenders, [], `core host chunks importing TensorFlow.js: ${offenders.join(', ')}`);
  // The walk itself must see tfjs where it is: the worker's bundle does import it.
  const worker = reachableChunks(join(out, 'main'), 'worker.js');
  assert.ok(
    [...worker.values()].some((code) => /["']@tensorflow\/tfjs["']/.test(code)),
    'the worker bundle should import TensorFlow.js',
  );
});
