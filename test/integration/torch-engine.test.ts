// The PyTorch engine through the studio: the bundle's crops and the engine's transforms give
// the pixels and targets the studio's own pipeline gives for the same draws; and
// `deeppose train --engine torch --nproc 2` on a CSV project trains (2 gloo processes),
// records its curves as any run, leaves a model folder `deeppose predict` reads; and a bundle
// trained by two torchrun "machines" on loopback comes back with `deeppose runs import`.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeRunBundle } from '../../src-main/core/torch/run-bundle';
import { enginePath } from '../../src-main/core/torch/torch-launch';
import { trainingBatches, type PipelineOptions } from '../../src-main/core/training/data/batches';
import { architectures, baseSize } from '../../src-main/core/pose/architectures';
import { trainingConfigSchema } from '../../src-shared/training/config';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';
import { makeTempDir, repoRoot } from '../support/paths';
import { pythonWithTorch } from '../support/python-torch';
import { testStudio } from '../support/studio';

const skip = pythonWithTorch.skip;
const temp = makeTempDir('deeppose-torch-');
after(() => temp.cleanup());

function deeppose(...args: string[]): string {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), ...args],
    { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(result.status, 0, `deeppose ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test("the engine's batch from a bundle is the studio's batch: pixels and targets, same draws", { skip }, async () => {
  mkdirSync(join(temp.dir, 'poses'));
  const examples = await makeSyntheticPoses(join(temp.dir, 'poses'), 6, 3);
  // one with a box, so both sides of the crop rule are crossed
  examples[1] = { ...examples[1], box: [20, 15, 60, 90] };
  const config = trainingConfigSchema.parse({
    model: 'alexnet-tiny',
    joints: 14,
    batchSize: 4,
    seed: 9,
    flip: true,
    flipPairs: LSP_FLIP_PAIRS,
    engine: 'torch',
  });
  const bundle = join(temp.dir, 'bundle');
  await writeRunBundle(bundle, config, { train: examples, val: [] });
  const arch = architectures['alexnet-tiny'];
  const pipeline: PipelineOptions = { ...config, base: baseSize(arch), input: arch.inputSize, seed: config.seed };
  const studio = [];
  for await (const batch of trainingBatches(examples, 4, 1, 0, pipeline)) studio.push(batch);
  const script = [
    'import sys, json, numpy as np',
    'from deeppose_torch.bundle import Bundle',
    'from deeppose_torch.data import CropDataset, StudioBatchSampler, collate',
    'b = Bundle(sys.argv[1]); d = CropDataset(b, "train"); c = b.config',
    'out = []',
    'for items in StudioBatchSampler(len(d), 4, c["seed"], 1, b.base, b.input_size, True, True):',
    '    px, t, w, _ = collate([d[i] for i in items], d.joints, b.input_size)',
    '    out.append({"pixels": px.numpy().reshape(-1).tolist(), "targets": t.numpy().reshape(-1).tolist(), "weights": w.numpy().reshape(-1).tolist()})',
    'print(json.dumps(out))',
  ].join('\n');
  const printed = execFileSync(pythonWithTorch.python!, ['-c', script, bundle], {
    env: { ...process.env, PYTHONPATH: enginePath() },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const engine = JSON.parse(printed) as Array<{ pixels: number[]; targets: number[]; weights: number[] }>;
  assert.equal(engine.length, studio.length);
  let worstPixel = 0;
  let worstTarget = 0;
  studio.forEach((batch, b) => {
    assert.equal(engine[b].pixels.length, batch.pixels.length);
    batch.pixels.forEach((v, k) => (worstPixel = Math.max(worstPixel, Math.abs(v - engine[b].pixels[k]))));
    batch.targets.forEach((v, k) => (worstTarget = Math.max(worstTarget, Math.abs(v - engine[b].targets[k]))));
    assert.deepEqual(engine[b].weights, [...batch.weights]);
  });
  // The same bytes cut at the same offsets, mirrored alike, with the same colour noise (float32 rounding only).
  assert.ok(worstPixel <= 1e-6, `pixels differ by ${worstPixel}`);
  assert.ok(worstTarget <= 1e-6, `targets differ by ${worstTarget}`);
});

let project = '';
before(async () => {
  if (skip) return;
  project = join(temp.dir, 'project');
  deeppose('sample', '--out', join(temp.dir, 'sample'), '--count', '48', '--seed', '5');
  deeppose('import', '--project', project, '--format', 'csv', join(temp.dir, 'sample', 'sample.csv'));
  const { studio, call } = testStudio(join(temp.dir, 'home'));
  try {
    const split = await call('splits.assign', { project, seed: 1, ratios: { train: 0.8, val: 0.2, test: 0 } });
    assert.ok(split.val > 0);
  } finally {
    await studio.close();
  }
});

test(
  'deeppose train --engine torch --nproc 2 trains a CSV project, and deeppose predict reads its model',
  { skip },
  async () => {
    const home = join(temp.dir, 'home');
    const printed = deeppose(
      'train',
      '--project',
      project,
      '--home',
      home,
      '--engine',
      'torch',
      '--nproc',
      '2',
      '--python',
      pythonWithTorch.python!,
      '--model',
      'alexnet-tiny',
      '--stages',
      '1',
      '--epochs',
      '2',
      '--batch-size',
      '8',
      '--optimizer',
      'Adam',
    );
    assert.match(printed, /PyTorch .* on cpu ×2 .*DistributedDataParallel/);
    assert.match(printed, /: finished · best validation PCK@0\.2/);
    const runDir = /files: (.*)/.exec(printed)![1].trim();
    for (const file of ['model/model.json', 'model/weights.bin', 'model/cascade.json', 'bundle/manifest.json'])
      assert.ok(existsSync(join(runDir, file)), file);
    assert.equal(
      (JSON.parse(readFileSync(join(runDir, 'model', 'model.json'), 'utf8')) as { format: string }).format,
      'layers-model',
    );
    // the run's curves are the catalog's rows, as for any run
    const { studio, call } = testStudio(home);
    try {
      const run = (await call('runs.list', { project })).find((r) => runDir.endsWith(r.id))!;
      assert.equal(run.backend, 'torch');
      const { metrics } = await call('runs.get', { project, runId: run.id });
      assert.ok(metrics.some((m) => m.split === 'train'));
      assert.ok(metrics.some((m) => m.split === 'val' && m.pck !== null));
    } finally {
      await studio.close();
    }
    const out = join(temp.dir, 'predictions.csv');
    const predicted = deeppose(
      'predict',
      '--model',
      runDir,
      '--input',
      join(temp.dir, 'sample', 'images'),
      '--out',
      out,
    );
    assert.match(predicted, /wrote .* \(csv, 48 predictions\)/);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows.length, 48);
    assert.ok(
      rows.every((row) =>
        row
          .split(',')
          .slice(1)
          .every((v) => Number.isFinite(Number(v))),
      ),
    );
  },
);

test(
  'deeppose train --engine torch --nproc 2 --stages 3 trains the whole cascade: per-stage validation, a model folder of every stage that predict runs',
  { skip },
  async () => {
    const home = join(temp.dir, 'home');
    const printed = deeppose(
      'train',
      '--project',
      project,
      '--home',
      home,
      '--engine',
      'torch',
      '--nproc',
      '2',
      '--python',
      pythonWithTorch.python!,
      '--model',
      'alexnet-tiny',
      '--stages',
      '3',
      '--epochs',
      '1',
      '--refine-draws',
      '1',
      '--batch-size',
      '8',
      '--optimizer',
      'Adam',
    );
    for (const stage of ['1/3 (whole)', '2/3 (person)', '3/3 (joints)'])
      assert.match(
        printed,
        new RegExp(`validation after stage ${stage.replace(/[()]/g, '\\$&')} · epoch 1/1: loss [\\d.]+ · PCK@0\\.2`),
      );
    assert.match(printed, /\(stages: PCK@0\.2 [\d.]+% → [\d.]+% → [\d.]+%\)/);
    const runDir = /files: (.*)/.exec(printed)![1].trim();
    for (const file of ['model/model.json', 'model/stage-2/model.json', 'model/stage-3/model.json'])
      assert.ok(existsSync(join(runDir, file)), file);
    const cascade = JSON.parse(readFileSync(join(runDir, 'model', 'cascade.json'), 'utf8')) as { kinds: string[] };
    assert.deepEqual(cascade.kinds, ['whole', 'person', 'joints']);
    const { studio, call } = testStudio(home);
    try {
      const run = (await call('runs.list', { project })).find((r) => runDir.endsWith(r.id))!;
      assert.equal(run.valReport?.stages.length, 3);
      assert.ok(run.baselineValPck !== null);
    } finally {
      await studio.close();
    }
    const predicted = deeppose(
      'predict',
      '--model',
      runDir,
      '--input',
      join(temp.dir, 'sample', 'sample.csv'),
      '--out',
      join(temp.dir, 'cascade.csv'),
    );
    assert.match(predicted, /stages: PCK@0\.2 [\d.]+% → [\d.]+% → [\d.]+%/);
    assert.match(predicted, /wrote .* \(csv, 48 predictions\)/);
    const exported = deeppose('export-model', '--model', runDir, join(temp.dir, 'cascade.onnx'));
    assert.match(exported, /cascade\.onnx, .*cascade\.stage-2\.onnx, .*cascade\.stage-3\.onnx/);
  },
);

test('without PyTorch the run fails with one line saying what is missing', { skip }, () => {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src-main', 'cli', 'index.ts'),
      'train',
      '--project',
      project,
      '--home',
      join(temp.dir, 'home'),
      '--engine',
      'torch',
      '--python',
      join(temp.dir, 'no-python'),
      '--stages',
      '1',
      '--epochs',
      '1',
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  assert.equal(result.status, 1);
  assert.match(
    result.stdout,
    /failed: the torch engine needs python3 with PyTorch: cannot run '.*no-python' \(ENOENT\); give --python PATH/,
  );
});

test(
  'a bundle trained by two torchrun "machines" on loopback comes back with deeppose runs import, and predicts',
  { skip },
  async () => {
    const bundle = join(temp.dir, 'cluster-bundle');
    const printed = deeppose(
      'train',
      '--project',
      project,
      '--home',
      join(temp.dir, 'home'),
      '--engine',
      'torch',
      '--bundle-only',
      bundle,
      '--model',
      'alexnet-tiny',
      '--stages',
      '1',
      '--epochs',
      '1',
      '--batch-size',
      '8',
    );
    assert.match(printed, /--rdzv_endpoint "\$MASTER_ADDR:29500"/);
    for (const file of ['manifest.json', 'launch.sh', 'sbatch.sh', 'engine/deeppose_torch/train.py'])
      assert.ok(existsSync(join(bundle, file)), file);
    const port = String(20000 + (process.pid % 20000));
    const node = (rank: number) =>
      new Promise<number>((done) => {
        const child = spawn(
          pythonWithTorch.python!,
          [
            '-m',
            'torch.distributed.run',
            '--nnodes',
            '2',
            '--nproc_per_node',
            '1',
            '--node_rank',
            String(rank),
            '--rdzv_backend',
            'c10d',
            '--rdzv_endpoint',
            `127.0.0.1:${port}`,
            '--rdzv_id',
            'loopback',
            '--redirects',
            '2',
            '--tee',
            '2',
            '-m',
            'deeppose_torch.train',
            bundle,
            '--out',
            join(bundle, 'out'),
          ],
          { env: { ...process.env, PYTHONPATH: join(bundle, 'engine') }, stdio: 'ignore' },
        );
        child.on('close', (code) => done(code ?? 1));
      });
    assert.deepEqual(await Promise.all([node(0), node(1)]), [0, 0]);
    const imported = deeppose('runs', 'import', bundle, '--project', project, '--home', join(temp.dir, 'home'));
    assert.match(imported, /imported run .*PyTorch on cpu ×2 .*best validation PCK@0\.2/);
    const runDir = /files: (.*)/.exec(imported)![1].trim();
    const { studio, call } = testStudio(join(temp.dir, 'home'));
    try {
      const run = (await call('runs.list', { project })).find((r) => runDir.endsWith(r.id))!;
      assert.equal(run.status, 'finished');
      assert.ok(
        (await call('runs.get', { project, runId: run.id })).metrics.some((m) => m.split === 'val' && m.pck !== null),
      );
      // The Runs list's "Import run…" goes through the same contract call.
      const again = await call('runs.import', { project, bundle });
      assert.equal(again.status, 'finished');
      assert.notEqual(again.id, run.id);
      assert.equal(again.bestValPck, run.bestValPck);
    } finally {
      await studio.close();
    }
    assert.match(
      deeppose(
        'predict',
        '--model',
        runDir,
        '--input',
        join(temp.dir, 'sample', 'images'),
        '--out',
        join(temp.dir, 'imported.csv'),
      ),
      /wrote .* \(csv, 48 predictions\)/,
    );
  },
);
