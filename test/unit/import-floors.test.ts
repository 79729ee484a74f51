// The floors between trees are lint rules (eslint.config.js): a renderer file importing main,
// a host folder importing TensorFlow.js or a step engine, and an engine importing the catalog,
// fail `npm run lint`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/paths';

const eslint = new ESLint({ cwd: repoRoot });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

test('a renderer file importing src-main fails lint; importing the shared contract passes', async () => {
  assert.ok(
    (
      await ruleIds(
        'src-renderer/src/lib/probe.ts',
        "import { createStudio } from '../../../src-main/core/studio';\nexport const s = createStudio;\n",
      )
    ).includes('@typescript-eslint/no-restricted-imports'),
  );
  assert.deepEqual(
    await ruleIds(
      'src-renderer/src/lib/probe.ts',
      "import { StudioError } from '../../../src-shared/api/define';\nexport const e = StudioError;\n",
    ),
    [],
  );
});

test('a host folder importing TensorFlow.js fails lint; a type-only import passes', async () => {
  assert.ok(
    (
      await ruleIds('src-main/core/runs/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")
    ).includes('@typescript-eslint/no-restricted-imports'),
  );
  assert.deepEqual(
    await ruleIds(
      'src-main/core/runs/probe.ts',
      "import type * as tf from '@tensorflow/tfjs';\nexport type T = tf.Tensor;\n",
    ),
    [],
  );
});

test('a host folder importing a step engine fails lint, and so does an engine importing the catalog', async () => {
  assert.ok(
    (
      await ruleIds(
        'src-main/core/runs/probe.ts',
        "import { chooseEngine } from '../engines/choose-engine';\nexport const c = chooseEngine;\n",
      )
    ).includes('@typescript-eslint/no-restricted-imports'),
  );
  assert.ok(
    (
      await ruleIds(
        'src-main/core/engines/onednn/probe.ts',
        "import { listRuns } from '../../catalog/runs';\nexport const l = listRuns;\n",
      )
    ).includes('@typescript-eslint/no-restricted-imports'),
  );
  assert.deepEqual(
    await ruleIds(
      'src-main/core/engines/onednn/probe.ts',
      "import { threadCount } from '../../parallelism';\nexport const t = threadCount;\n",
    ),
    [],
  );
});

/** Folder-level value imports inside src-main/core (type-only imports carry no load order and are left out). */
function coreFolderEdges(): Map<string, Set<string>> {
  const core = join(repoRoot, 'src-main', 'core');
  const edges = new Map<string, Set<string>>();
  const nodeOf = (path: string) => {
    const rel = relative(core, path);
    return rel.includes(sep) ? rel.split(sep)[0] : rel; // a file at the root is a node of its own
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const [, spec] of readFileSync(path, 'utf8').matchAll(
          /^\s*(?:import|export)\s+(?!type\s)[^'";]*?from\s+'(\.[^']+)'/gm,
        )) {
          const target = resolve(dirname(path), spec);
          if (relative(core, target).startsWith('..')) continue;
          const [from, to] = [nodeOf(path), nodeOf(target + '.ts')];
          if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
        }
      }
    }
  };
  walk(core);
  return edges;
}

test('src-main/core has no folder cycle (training, inference, metrics, pose, … import downwards only)', () => {
  const edges = coreFolderEdges();
  assert.ok(edges.get('inference')?.has('pose'), 'the walk sees inference importing pose');
  const cycles: string[] = [];
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    from === to ||
    [...(edges.get(from) ?? [])].some((next) => !seen.has(next) && (seen.add(next), reaches(next, to, seen)));
  for (const [from, tos] of edges) for (const to of tos) if (reaches(to, from)) cycles.push(`${from} -> ${to}`);
  assert.deepEqual(cycles, []);
});
