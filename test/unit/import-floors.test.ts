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

/** Each floor tried both ways: an import it refuses (`refused: true`) and one beside it that passes. */
const FLOORS: Array<{ floor: string; file: string; code: string; refused: boolean }> = [
  {
    floor: 'a renderer file importing src-main',
    file: 'src-renderer/src/lib/probe.ts',
    code: "import { createStudio } from '../../../src-main/core/studio';\nexport const s = createStudio;\n",
    refused: true,
  },
  {
    floor: 'a renderer file importing the shared contract',
    file: 'src-renderer/src/lib/probe.ts',
    code: "import { StudioError } from '../../../src-shared/api/define';\nexport const e = StudioError;\n",
    refused: false,
  },
  {
    floor: 'a host folder importing TensorFlow.js',
    file: 'src-main/core/runs/probe.ts',
    code: "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n",
    refused: true,
  },
  {
    floor: "a host folder importing TensorFlow.js' types",
    file: 'src-main/core/runs/probe.ts',
    code: "import type * as tf from '@tensorflow/tfjs';\nexport type T = tf.Tensor;\n",
    refused: false,
  },
  {
    floor: 'a host folder importing a step engine',
    file: 'src-main/core/runs/probe.ts',
    code: "import { chooseEngine } from '../engines/choose-engine';\nexport const c = chooseEngine;\n",
    refused: true,
  },
  {
    floor: 'a step engine importing the catalog',
    file: 'src-main/core/engines/onednn/probe.ts',
    code: "import { listRuns } from '../../catalog/runs';\nexport const l = listRuns;\n",
    refused: true,
  },
  {
    floor: 'a step engine importing the trainer',
    file: 'src-main/core/engines/onednn/probe.ts',
    code: "import { runTraining } from '../../training/trainer';\nexport const r = runTraining;\n",
    refused: true,
  },
  {
    floor: 'a step engine importing the shared training settings',
    file: 'src-main/core/engines/onednn/probe.ts',
    code: "import { trainingConfigSchema } from '../../../../src-shared/training/config';\nexport const c = trainingConfigSchema;\n",
    refused: false,
  },
  {
    floor: 'a step engine importing the thread count',
    file: 'src-main/core/engines/onednn/probe.ts',
    code: "import { threadCount } from '../../parallelism';\nexport const t = threadCount;\n",
    refused: false,
  },
];

for (const { floor, file, code, refused } of FLOORS) {
  test(`${floor} ${refused ? 'fails' : 'passes'} lint`, async () => {
    const ids = await ruleIds(file, code);
    if (refused) assert.ok(ids.includes('@typescript-eslint/no-restricted-imports'), ids.join());
    else assert.deepEqual(ids, []);
  });
}

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
