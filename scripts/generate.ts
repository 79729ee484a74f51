// Writes the generated files (scripts/generated-files.ts) from their sources.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles, repoRoot } from './generated-files';

for (const { path, text } of await generatedFiles()) {
  const full = join(repoRoot, path);
  let old = '';
  try {
    old = readFileSync(full, 'utf8');
  } catch {
    // a new file
  }
  if (old === text) continue;
  writeFileSync(full, text);
  console.log(`wrote ${path}`);
}
