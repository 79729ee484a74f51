// The floors between trees are lint rules (eslint.config.js): a renderer file importing main,
// and a host folder importing TensorFlow.js, fail `npm run lint`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/paths';

const eslint = new ESLint({ cwd: repoRoot });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

test('a renderer file importing src-main fails lint; importing the shared contract passes', async () => {
  assert.ok(
    (await ruleIds('src-renderer/src/lib/probe.ts', "import { createStudio } from '../../../src-main/core/studio';\nexport const s = createStudio;\n")).includes(
      '@typescript-eslint/no-restricted-imports',
    ),
  );
  assert.deepEqual(await ruleIds('src-renderer/src/lib/probe.ts', "import { StudioError } from '../../../src-shared/api/define';\nexport const e = StudioError;\n"), []);
});

test('a host folder importing TensorFlow.js fails lint; a type-only import passes', async () => {
  assert.ok((await ruleIds('src-main/core/runs/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).includes('@typescript-eslint/no-restricted-imports'));
  assert.deepEqual(await ruleIds('src-main/core/runs/probe.ts', "import type * as tf from '@tensorflow/tfjs';\nexport type T = tf.Tensor;\n"), []);
});
