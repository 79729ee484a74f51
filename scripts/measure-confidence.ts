// Measures how well each confidence proxy orders pictures by their true error (the figures in
// README, "Predict"): draws new sample pictures with known joints, predicts them with a trained
// model exactly as a prediction job over a folder does (flip check on, then off for its cost),
// and prints Spearman's rank correlation of each candidate with the true per-image error.
//   node --import tsx scripts/measure-confidence.ts --model RUN_DIR [--count 100] [--seed 22] [--out DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PredictionEvent } from '../src-shared/training/protocol';
import { generateSample } from '../src-main/core/sample/generate-sample';
import { modelFromPath } from '../src-main/core/predictions/model-location';
import { startPredictionWorker } from '../src-main/core/predictions/prediction-host';
import { forkLauncher } from '../src-main/core/worker/worker-launcher';
import { readCascade } from '../src-main/core/pose/cascade-files';
import { poseDiameter } from '../src-main/core/pose/refine-view';
import { spearman } from '../src-main/core/metrics/rank-correlation';
import { counts, torsoDiameter, type Joints } from '../src-main/core/pose/pose-joints';

type Predicted = Extract<PredictionEvent, { type: 'prediction' }>;

async function predictAll(modelDir: string, cropScale: number, paths: string[], flipPairs: [number, number][] | null) {
  const events: Predicted[] = [];
  const began = performance.now();
  const handle = startPredictionWorker(
    forkLauncher,
    {
      modelDir,
      items: paths.map((imagePath) => ({ imagePath, box: null })),
      backend: 'auto',
      cropScale,
      flipCheck: flipPairs ? { flipPairs } : null,
    },
    (event) => {
      if (event.type === 'prediction') events[event.index] = event;
    },
  );
  const end = await handle.done;
  if (end.type === 'failed') throw new Error(end.error);
  return { events, end, seconds: (performance.now() - began) / 1000 };
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
const max = (v: number[]) => Math.max(...v);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.model) throw new Error('--model RUN_DIR is required');
  const location = modelFromPath(values.model);
  if (!location.flipPairs)
    throw new Error(`${values.model}: no training config beside the model, so no left/right pairs`);
  const { torsoPairs } = readCascade(location.modelDir, { cropScale: location.cropScale }).rule;
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'deeppose-confidence-'));
  const sample = await generateSample({
    outDir: out,
    count: Number(values.count ?? 100),
    seed: Number(values.seed ?? 22),
  });
  const paths = sample.examples.map((e) => e.imagePath);

  const on = await predictAll(location.modelDir, location.cropScale, paths, location.flipPairs);
  const off = await predictAll(location.modelDir, location.cropScale, paths, null);

  const truth: Joints[] = sample.examples.map((e) => e.joints);
  const rows = on.events.flatMap((e, i) => {
    if (!e?.mirrored) return [];
    const t = truth[i];
    const jointError = e.joints.map(([x, y], j) => (counts(t[j], {}) ? Math.hypot(x - t[j][0], y - t[j][1]) : null));
    const known = jointError.filter((v): v is number => v !== null);
    if (known.length === 0) return [];
    const errorPx = mean(known);
    const diameter = torsoDiameter(t, torsoPairs);
    const averaged = e.joints.map(([x, y], j): [number, number] => [
      (x + e.mirrored![j][0]) / 2,
      (y + e.mirrored![j][1]) / 2,
    ]);
    const averagedError = mean(
      averaged.flatMap(([x, y], j) => (counts(t[j], {}) ? [Math.hypot(x - t[j][0], y - t[j][1])] : [])),
    );
    const px = (a: [number, number][], b: [number, number][]) =>
      a.map(([x, y], j) => Math.hypot(x - b[j][0], y - b[j][1]));
    const flipPx = px(e.joints, e.mirrored);
    const stages = e.stageJoints;
    const stagesPx = stages.length >= 2 ? px(stages[stages.length - 1], stages[stages.length - 2]) : null;
    const totalPx = stages.length >= 2 ? px(stages[stages.length - 1], stages[0]) : null;
    // The torso diameter of the prediction itself, as the joint close-ups are sized.
    const predictedTorso = Math.max(1, poseDiameter(e.joints, torsoPairs));
    return [
      {
        e,
        jointError,
        errorPx,
        relError: diameter ? errorPx / diameter : null,
        averagedError,
        flipPx,
        stagesPx,
        totalPx,
        predictedTorso,
      },
    ];
  });

  const perTorso = (v: number[] | null, r: (typeof rows)[number], f: (v: number[]) => number) =>
    v === null ? null : f(v) / r.predictedTorso;
  const candidates: Record<string, (r: (typeof rows)[number]) => number | null> = {
    'flip disagreement, mean ÷ view side (shipped)': (r) => r.e.confidence.flip,
    'flip disagreement, max ÷ view side': (r) =>
      r.e.confidence.flipPerJoint ? max(r.e.confidence.flipPerJoint) : null,
    'flip disagreement, median ÷ view side': (r) =>
      r.e.confidence.flipPerJoint ? median(r.e.confidence.flipPerJoint) : null,
    'flip disagreement, mean in pixels': (r) => mean(r.flipPx),
    'flip disagreement, mean ÷ predicted torso': (r) => perTorso(r.flipPx, r, mean),
    'flip disagreement, max ÷ predicted torso': (r) => perTorso(r.flipPx, r, max),
    'last-stage correction, mean ÷ view side (stored)': (r) => r.e.confidence.correction,
    'last-stage correction, max ÷ view side': (r) =>
      r.e.confidence.correctionPerJoint ? max(r.e.confidence.correctionPerJoint) : null,
    'last-stage correction, mean ÷ predicted torso': (r) => perTorso(r.stagesPx, r, mean),
    'flip disagreement + last correction, ÷ view side': (r) =>
      r.e.confidence.correction === null ? null : r.e.confidence.flip! + r.e.confidence.correction,
    'correction stage 1 → last, mean in pixels': (r) => (r.totalPx === null ? null : mean(r.totalPx)),
  };
  const figures: Record<string, { vsErrorPx: number | null; vsErrorTorso: number | null }> = {};
  for (const [name, score] of Object.entries(candidates)) {
    const scored = rows.filter((r) => score(r) !== null);
    const withRel = scored.filter((r) => r.relError !== null);
    figures[name] = {
      vsErrorPx: spearman(
        scored.map((r) => score(r)!),
        scored.map((r) => r.errorPx),
      ),
      vsErrorTorso: spearman(
        withRel.map((r) => score(r)!),
        withRel.map((r) => r.relError!),
      ),
    };
  }
  // Per joint: does a joint's flip disagreement order joints (pooled over pictures) by their error?
  const pooled = rows.flatMap((r) =>
    r.jointError.flatMap((err, j) =>
      err === null || !r.e.confidence.flipPerJoint ? [] : [[r.e.confidence.flipPerJoint[j], err] as const],
    ),
  );
  const perJointFlip = spearman(
    pooled.map((p) => p[0]),
    pooled.map((p) => p[1]),
  );

  const timing = (run: typeof on) => ({
    imagesPerSecond: paths.length / run.seconds,
    msPerImage: run.end.type === 'predict-finished' ? run.end.msPerImage : null,
  });
  console.log(
    JSON.stringify(
      {
        model: location.modelDir,
        pictures: rows.length,
        stages: rows[0]?.e.stageJoints.length ?? 0,
        meanErrorPx: mean(rows.map((r) => r.errorPx)),
        meanErrorPxOfFlipAverage: mean(rows.map((r) => r.averagedError)),
        spearman: figures,
        perJointFlipSpearman: perJointFlip,
        cost: {
          flipOn: { ...timing(on), flipMsPerImage: on.end.type === 'predict-finished' ? on.end.flipMsPerImage : null },
          flipOff: timing(off),
        },
      },
      null,
      1,
    ),
  );
  if (!values.out) rmSync(out, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
