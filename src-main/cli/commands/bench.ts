// `deeppose bench`: the reference AlexNet on every backend this machine can run, side by
// side with the PyTorch reference script, in one run. Each measurement runs in a child
// process of its own: started with the retained-memory malloc tunables (they act only at
// process start, see retained-memory.ts) and free of the previous backend's heap.
import { execFile, fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import '../../core/training/tf-production-mode'; // first: the measuring child creates tensors
import * as tf from '@tensorflow/tfjs';
import type { Command } from '../command';
import { optionalNumber, UsageError } from '../command';
import { ProgressDisplay } from '../progress-display';
import { runBenchmark, type BenchmarkOptions, type BenchmarkResult } from '../../core/training/benchmark';
import { generateSample } from '../../core/sample/generate-sample';
import { findPackageRoot } from '../../core/files/package-root';
import { withRetainedMemory } from '../../core/backends/retained-memory';
import { threadCount, THREADS_ENV } from '../../core/parallelism';
import { applyThreadsOption, threadsOption, threadsUsage } from '../threads-option';
import { backendsHelp } from '../backends-help';
import { backendNames, modelNames, type BackendName, type ModelName } from '../../../src-shared/training/config';
import type { Example } from '../../../src-shared/training/protocol';

const SAMPLE_IMAGES = 48;

/** How much of the benchmark each backend gets: the slow ones would take hours otherwise. */
interface Plan {
  everyRun: boolean;
  warmupSteps: number;
  trainIterations: number;
  pipelineIterations: number;
  inferenceSamples: number;
  note: string | null;
}

function planFor(backend: BackendName, o: { iterations: number; pipeline: number; samples: number }): Plan {
  switch (backend) {
    case 'wasm':
      return {
        everyRun: false,
        warmupSteps: 0,
        trainIterations: 1,
        pipelineIterations: 0,
        inferenceSamples: 3,
        note: 'slow: first run only, one timed training step without a warm-up step, 3 inference samples, no pipeline run',
      };
    case 'cpu':
      return {
        everyRun: false,
        warmupSteps: 0,
        trainIterations: 0,
        pipelineIterations: 0,
        inferenceSamples: 2,
        note: 'very slow (pure JavaScript): first run only, inference only (2 samples); one training step of this network takes many minutes',
      };
    default:
      return {
        everyRun: true,
        warmupSteps: 1,
        trainIterations: o.iterations,
        pipelineIterations: o.pipeline,
        inferenceSamples: o.samples,
        note: null,
      };
  }
}

interface Row {
  plan: Plan;
  /** `run`: the round it was measured in, paired with PyTorch's figures of that round. */
  results: Array<BenchmarkResult & { run: number }>;
  unavailable?: string;
}

interface TorchFigures {
  trainImagesPerSecond: number;
  inferMsPerImage: number;
  /** Peak resident memory after the script's training steps, before its inference. */
  trainPeakRssMb: number | null;
  /** The BLAS libraries the PyTorch process had loaded (its dense layers run on them). */
  blas: string[];
}

/**
 * Debian's torch runs its dense layers on whatever libblas.so.3 is installed: the netlib
 * reference BLAS, single-threaded, unless OpenBLAS is. Such a peer trains 5× slower than
 * the same script with OpenBLAS on the same machine, so a ratio against it says nothing.
 */
export function referenceBlasWarning(blas: string[]): string | null {
  const optimised = blas.some((path) => /openblas|mkl|blis|atlas/i.test(path));
  return optimised
    ? null
    : `the PyTorch peer runs on the reference BLAS (${blas.join(', ') || 'none found'}), about 5× slower than with OpenBLAS: ratios against it do not count (Debian: apt-get install -y libopenblas0-pthread)`;
}

type ChildReply = { ok: true; result: BenchmarkResult } | { ok: false; reason: string };

export const benchCommand: Command = {
  usage: [
    `deeppose bench [--backend all|${backendNames.join('|')}] [--pytorch] [--python PATH] [--runs N]`,
    `               [--iterations N] [--pipeline-iterations N] [--samples N] [--model ${modelNames.join('|')}] [--batch-size N] [--profile]`,
    '               [--threads N]',
    '',
    threadsUsage,
    '',
    'Figures are medians over --runs rounds (default 3); each round runs the PyTorch reference',
    'script (bench/pytorch_reference.py; used whenever python3 can import torch, required with',
    '--pytorch) and each fast backend once. wasm and cpu are measured in the first round only.',
    '--profile adds the heaviest kernels of one training step per fast backend.',
    'JSON on stdout, progress on stderr.',
  ].join('\n'),
  liveHelp: backendsHelp,
  options: {
    backend: { type: 'string' },
    pytorch: { type: 'boolean' },
    python: { type: 'string' },
    runs: { type: 'string' },
    iterations: { type: 'string' },
    'pipeline-iterations': { type: 'string' },
    samples: { type: 'string' },
    model: { type: 'string' },
    'batch-size': { type: 'string' },
    profile: { type: 'boolean' },
    ...threadsOption,
    // Internal: this process is a measurement child; it reads its job from the IPC channel.
    measure: { type: 'boolean' },
  },
  async run(values) {
    if (values.measure) return measureInChild();
    applyThreadsOption(values);
    const threads = threadCount(); // also checks a DEEPPOSE_THREADS set by hand before any child starts
    const backend = (values.backend as string | undefined) ?? 'all';
    if (backend !== 'all' && !(backendNames as readonly string[]).includes(backend))
      throw new UsageError(`--backend must be all or one of ${backendNames.join(', ')}`);
    const model = (values.model as string | undefined) ?? 'alexnet';
    if (!(modelNames as readonly string[]).includes(model))
      throw new UsageError(`--model must be one of ${modelNames.join(', ')}`);
    const count = (name: string, fallback: number) => {
      const n = optionalNumber(values, name) ?? fallback;
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
      return n;
    };
    const runs = count('runs', 3);
    const batchSize = count('batch-size', 32);
    const sizes = {
      iterations: count('iterations', 5),
      pipeline: count('pipeline-iterations', 4),
      samples: count('samples', 15),
    };

    // The reference script trains the reference AlexNet only: other models have no peer.
    const torch: TorchSetup =
      model === 'alexnet'
        ? findTorch(values.python as string | undefined)
        : { ok: false, reason: `the PyTorch reference has no ${model}` };
    if (values.pytorch && !torch.ok) throw new UsageError(`--pytorch: ${torch.reason}`);
    const sampleDir = mkdtempSync(join(tmpdir(), 'deeppose-bench-'));
    try {
      // On two cores anything else running slows PyTorch's thread pool far more than the
      // studio's: a ratio taken on a busy machine is not the ratio users see.
      const loadAtStart = loadavg()[0];
      if (loadAtStart > QUIET_LOAD)
        process.stderr.write(
          `bench: warning: load average ${loadAtStart.toFixed(2)} (over ${QUIET_LOAD}): the machine is busy, ratios from this round do not count\n`,
        );
      process.stderr.write(`bench: generating ${SAMPLE_IMAGES} sample images for the pipeline run\n`);
      const sample = await generateSample({ outDir: sampleDir, count: SAMPLE_IMAGES, seed: 1 });
      const examples: Example[] = sample.examples.map((e) => ({ imagePath: e.imagePath, joints: e.joints }));
      const wanted: BackendName[] = backend === 'all' ? [...backendNames] : [backend as BackendName];
      const rows = new Map<string, Row>();
      const torchRuns: TorchFigures[] = [];
      for (let run = 1; run <= runs; run++) {
        if (torch.ok) {
          process.stderr.write(`bench: run ${run}/${runs}: pytorch reference\n`);
          torchRuns.push(await runTorch(torch.python, torch.script));
          const warning = run === 1 ? referenceBlasWarning(torchRuns[0].blas) : null;
          if (warning) process.stderr.write(`bench: warning: ${warning}\n`);
        }
        for (const name of wanted) {
          const row = rows.get(name);
          if (row?.unavailable || (row && !row.plan.everyRun)) continue;
          const plan = planFor(name, sizes);
          process.stderr.write(`bench: run ${run}/${runs}: ${name}${plan.note ? ` (${plan.note})` : ''}\n`);
          const reply = await measureInFreshProcess(
            {
              ...plan,
              backend: name,
              model: model as ModelName,
              batchSize,
              joints: 14,
              pipelineExamples: examples,
              profile: values.profile === true && plan.everyRun,
            },
            `${name} run ${run}`,
          );
          if (!reply.ok) {
            process.stderr.write(`bench: ${name} not measured: ${reply.reason}\n`);
            rows.set(name, { plan, results: [], unavailable: reply.reason });
            continue;
          }
          (row ?? rows.set(name, { plan, results: [] }).get(name)!).results.push({ ...reply.result, run });
        }
      }
      console.log(
        JSON.stringify(
          report(model as ModelName, batchSize, runs, threads, torch, torchRuns, rows, loadAtStart),
          null,
          2,
        ),
      );
      return 0;
    } finally {
      rmSync(sampleDir, { recursive: true, force: true });
    }
  },
};

/** The 1-minute load average under which a round counts (issue 17's rule for this 2-core machine). */
const QUIET_LOAD = 1.2;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

function report(
  model: ModelName,
  batchSize: number,
  runs: number,
  threads: number,
  torch: TorchSetup,
  torchRuns: TorchFigures[],
  rows: Map<string, Row>,
  loadAtStart: number,
) {
  const torchMedian = torch.ok
    ? {
        trainImagesPerSecond: median(torchRuns.map((t) => t.trainImagesPerSecond)),
        inferMsPerImage: median(torchRuns.map((t) => t.inferMsPerImage)),
        trainPeakRssMb: torchRuns.every((t) => t.trainPeakRssMb !== null)
          ? median(torchRuns.map((t) => t.trainPeakRssMb!))
          : null,
      }
    : null;
  const blasWarning = torchRuns.length ? referenceBlasWarning(torchRuns[0].blas) : null;
  const pytorch = torch.ok
    ? {
        script: torch.script,
        python: torch.python,
        blas: torchRuns[0]?.blas ?? [],
        ...(blasWarning ? { warning: blasWarning } : {}),
        runs: torchRuns.map(({ blas: _blas, ...figures }) => figures),
        median: torchMedian,
      }
    : { unavailable: torch.reason };
  const backends = [...rows].map(([name, { plan, results, unavailable }]) => {
    if (unavailable) return { backend: name, available: false, reason: unavailable };
    const trained = results.filter((r) => r.train);
    const piped = results.filter((r) => r.endToEnd);
    const figures = {
      trainImagesPerSecond: trained.length ? median(trained.map((r) => r.train!.imagesPerSecond.median)) : null,
      endToEndImagesPerSecond: piped.length ? median(piped.map((r) => r.endToEnd!.imagesPerSecond)) : null,
      inferMsPerImage: median(results.map((r) => r.inference.msPerImage.mean)),
      inferMsStd: median(results.map((r) => r.inference.msPerImage.std)),
      inferMsMedian: median(results.map((r) => r.inference.msPerImage.median)),
      inferEngine: results[0].inference.engine,
      trainPeakRssMb: results.some((r) => r.trainPeakRssMb !== null)
        ? median(results.flatMap((r) => (r.trainPeakRssMb === null ? [] : [r.trainPeakRssMb])))
        : null,
      inferInt8DenseMsMedian: results.every((r) => r.inferenceInt8Dense)
        ? median(results.map((r) => r.inferenceInt8Dense!.msPerImage.median))
        : null,
      trainEngine: results[0].trainEngine,
    };
    // Each run's ratio to PyTorch's figures of the same round (the machine's load drifts
    // between rounds), then the median over runs. Above 1: this backend is faster.
    const ratios = (
      figure: (r: BenchmarkResult) => number | null,
      torchFigure: (t: TorchFigures) => number,
      faster: 'higher' | 'lower',
    ) => {
      const paired = results.flatMap((r) => {
        const ours = figure(r);
        const theirs = torchRuns[r.run - 1] ? torchFigure(torchRuns[r.run - 1]) : undefined;
        if (ours === null || theirs === undefined || !Number.isFinite(theirs)) return [];
        return [faster === 'higher' ? ours / theirs : theirs / ours];
      });
      return paired.length ? round(median(paired)) : null;
    };
    const vsPytorch = torchMedian
      ? {
          train: ratios(
            (r) => r.train?.imagesPerSecond.median ?? null,
            (t) => t.trainImagesPerSecond,
            'higher',
          ),
          endToEndTrain: ratios(
            (r) => r.endToEnd?.imagesPerSecond ?? null,
            (t) => t.trainImagesPerSecond,
            'higher',
          ),
          // The reference script reports its median latency: compared with ours.
          inference: ratios(
            (r) => r.inference.msPerImage.median,
            (t) => t.inferMsPerImage,
            'lower',
          ),
          // Peak training memory as a multiple of PyTorch's (ours ÷ theirs: below 1 is less).
          trainPeakRss: ratios(
            (r) => r.trainPeakRssMb,
            (t) => t.trainPeakRssMb ?? NaN,
            'higher',
          ),
          // Prediction with 8-bit dense weights (--dense-weights int8) against PyTorch's float32.
          inferenceInt8Dense: ratios(
            (r) => r.inferenceInt8Dense?.msPerImage.median ?? null,
            (t) => t.inferMsPerImage,
            'lower',
          ),
        }
      : null;
    return {
      backend: results[0].backend,
      available: true,
      devices: results[0].devices,
      note: plan.note,
      runs: results.length,
      median: figures,
      vsPytorch,
      results: results.map(({ run, train, trainPeakRssMb, endToEnd, inference, inferenceInt8Dense, stepProfile }) => ({
        run,
        train,
        trainPeakRssMb,
        endToEnd,
        inference,
        inferenceInt8Dense,
        ...(stepProfile ? { stepProfile } : {}),
      })),
    };
  });
  return {
    // Load average when the report is written: figures taken on a busy machine do not count.
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      tfjs: tf.version.tfjs,
      loadAverageAtStart: round(loadAtStart),
      loadAverage: loadavg().map((l) => round(l)),
      quiet: loadAtStart <= QUIET_LOAD,
    },
    // The measuring processes inherit this process's environment, so they read the same count.
    threads: {
      onnxRuntimeIntraOp: threads,
      from: process.env[THREADS_ENV] ? `--threads / ${THREADS_ENV}` : 'os.availableParallelism()',
    },
    model,
    params: [...rows.values()].find((r) => r.results.length)?.results[0].params ?? null,
    batchSize,
    runs,
    method:
      'training: images/s of MomentumSGD (lr 0.01, momentum 0.9) steps on a fixed random batch (median step after a warm-up step), and end to end with sample JPEGs through the data pipeline; inference: batch-1 ms/image, mean and std, as prediction jobs run it (inferEngine: onnx-runtime is the whole network as one ONNX graph, tfjs the layers model); inferInt8Dense: the same with the hidden dense layers read as 8-bit codes (--dense-weights int8, onnx-cpu). trainPeakRssMb: peak resident memory of the measuring process after its training steps (the PyTorch script: after its own), vsPytorch.trainPeakRss = ours ÷ the PyTorch figure (the others: above 1 is faster than PyTorch). Figures are medians over runs; vsPytorch is the median over runs of the ratio in each run to the PyTorch figures of that run (above 1: faster than PyTorch). The PyTorch script gets the same malloc tunables.',
    pytorch,
    backends,
  };
}

/** The child's side: one job from the parent, one reply, exit. */
async function measureInChild(): Promise<number> {
  if (!process.send) throw new UsageError('--measure is internal: it runs in a process started by deeppose bench');
  const job = await new Promise<BenchmarkOptions & { label: string }>((resolve) =>
    process.once('message', (m) => resolve(m as BenchmarkOptions & { label: string })),
  );
  const display = new ProgressDisplay(`bench ${job.label}`, process.stderr);
  let reply: ChildReply;
  try {
    const result = await runBenchmark(job, (phase, n, total) => display.update(n, total, phase));
    reply = { ok: true, result };
  } catch (error) {
    reply = { ok: false, reason: (error as Error).message.split('\n')[0] };
  }
  display.end();
  await new Promise<void>((resolve) => process.send!(reply, undefined, undefined, () => resolve()));
  process.disconnect();
  return 0;
}

/** Runs one measurement in a fresh child process of this CLI with the malloc tunables. */
function measureInFreshProcess(options: BenchmarkOptions, label: string): Promise<ChildReply> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1], ['bench', '--measure'], {
      execArgv: process.execArgv,
      env: withRetainedMemory(),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let reply: ChildReply | undefined;
    child.on('message', (m) => (reply = m as ChildReply));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      resolve(
        reply ?? { ok: false, reason: `the measurement process exited (${signal ?? `code ${code}`}) without a result` },
      ),
    );
    child.send({ ...options, label });
  });
}

type TorchSetup = { ok: true; python: string; script: string } | { ok: false; reason: string };

/** The first python that can import torch; Debian's python3-torch lives under /usr/bin even when another python3 comes first on PATH. */
function findTorch(python: string | undefined): TorchSetup {
  const script = join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'bench', 'pytorch_reference.py');
  const candidates = python ? [python] : ['python3', '/usr/bin/python3'];
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0)
      return { ok: true, python: candidate, script };
  }
  return {
    ok: false,
    reason: `none of ${candidates.join(', ')} can import torch (Debian: apt-get install -y python3-torch libopenblas0-pthread)`,
  };
}

async function runTorch(python: string, script: string): Promise<TorchFigures> {
  const { stdout } = await promisify(execFile)(python, [script], { env: withRetainedMemory(), encoding: 'utf8' });
  const figures = JSON.parse(stdout.trim().split('\n').pop()!) as {
    train_images_per_s: number;
    infer_ms_per_image: number;
    train_peak_rss_mb?: number;
    blas?: string[];
  };
  return {
    trainImagesPerSecond: figures.train_images_per_s,
    inferMsPerImage: figures.infer_ms_per_image,
    trainPeakRssMb: figures.train_peak_rss_mb ?? null,
    blas: figures.blas ?? [],
  };
}
