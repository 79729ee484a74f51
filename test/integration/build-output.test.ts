// What only a real Electron would reveal, checked on the build output instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
