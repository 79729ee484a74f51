// The desktop's main process is a thin shell: the built main bundle (with every chunk it
// loads) holds no catalog, image or TensorFlow.js code; the studio runs in the core host,
// whose utilityProcess entry is a built file beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from '../support/paths';

const mainDir = join(repoRoot, 'out', 'main');

/** Every module specifier a built file and its static local chunks import. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  if (seen.has(file)) return found;
  seen.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*import[^'"]*from\s*["']([^"']+)["']/g)) {
    if (spec.startsWith('.')) for (const inner of staticImports(resolve(dirname(file), spec), seen)) found.add(inner);
    else found.add(spec);
  }
  return found;
}

test("main's bundle loads no better-sqlite3, sharp, onnxruntime or TensorFlow.js: the core host does", () => {
  const imports = [...staticImports(join(mainDir, 'index.js'))];
  assert.ok(imports.includes('electron'));
  assert.deepEqual(
    imports.filter((spec) => /better-sqlite3|sharp|onnxruntime|@tensorflow/.test(spec)),
    [],
  );
});

test("the core host's utilityProcess entry and the import's write thread are built files", () => {
  const main = readFileSync(join(mainDir, 'index.js'), 'utf8');
  const hostPath = main.match(/["'](\.\/chunks\/core-host-entry-[\w-]+\.js)["']/);
  assert.ok(hostPath, 'main names the built core host entry');
  assert.ok(existsSync(join(mainDir, hostPath[1])), `${hostPath[1]} is missing`);
  assert.match(main, /utilityProcess\.fork/);
  assert.ok(existsSync(join(mainDir, 'import-write-thread.js')), 'out/main/import-write-thread.js is missing');
});
