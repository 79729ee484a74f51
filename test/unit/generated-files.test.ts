// Generated files are checked in (the preload's channel list, the oneDNN addon's plan header):
// each must be what its source makes now, so a call added to the contract or a field added to
// the plan table cannot drift from its copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles, repoRoot } from '../../scripts/generated-files';

for (const { path, text } of await generatedFiles()) {
  test(`${path} is what \`npm run generate\` writes`, () => {
    assert.equal(readFileSync(join(repoRoot, path), 'utf8'), text, `${path} is stale: run npm run generate`);
  });
}
