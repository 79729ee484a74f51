import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { findResumePoint, verifyCheckpoint } from '../../src-main/core/pose/checkpoint-folder';
import { startTrainingWorker, type EndEvent } from '../../src-main/core/runs/training-host';
import { forkLauncher } from '../../src-main/core/worker/worker-launcher';
import { trainingConfigSchema, type TrainingConfigInput } from '../../src-shared/training/config';
import type { TrainRequest, WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { LSP_FLIP_PAIRS, makeSyntheticPoses } from '../support/synthetic-training-data';

const temp = makeTempDir();
after(temp.cleanup);
let dataset: TrainRequest['dataset'];

before(async () => {
  dataset = {
    train: await makeSyntheticPoses(temp.dir, 12, 11, 'train'),
    val: await makeSyntheticPoses(temp.dir, 4, 12, 'val'),
  };
});

const EPOCHS = 4;
function config(extra: Partial<TrainingConfigInput> = {}) {
  return trainingConfigSchema.parse({
    model: 'alexnet-tiny',
    joints: 14,
    epochs: EPOCHS,
    stages: 1,
    batchSize: 6,
    seed: 42,
    backend: 'cpu',
    checkpointEvery: 1,
    keepCheckpoints: 0,
    augment: true,
    flip: true,
    flipPairs: LSP_FLIP_PAIRS,
    ...extra,
  });
}

function run(
  runDir: string,
  options: {
    resumeFrom?: string;
    configExtra?: Partial<TrainingConfigInput>;
    onEvent?: (e: WorkerEvent, handle: ReturnType<typeof startTrainingWorker>) => void;
  } = {},
) {
  const events: WorkerEvent[] = [];
  const handle: ReturnType<typeof startTrainingWorker> = startTrainingWorker(
    forkLauncher,
    { config: config(options.configExtra), dataset, runDir, resumeFrom: options.resumeFrom },
    (event) => {
      events.push(event);
      options.onEvent?.(event, handle);
    },
  );
  return { events, done: handle.done };
}

function weights(modelDir: string): Float32Array {
  const bytes = readFileSync(join(modelDir, 'weights.bin'));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function assertEnded(end: EndEvent, type: EndEvent['type']): void {
  assert.equal(end.type, type, end.type === 'failed' ? end.error : `ended as ${end.type}`);
}

let straightModel: string;
const straightDir = () => join(temp.dir, 'straight');

test('a run reports started, progress, validation and checkpoints, and finishes with a model', async () => {
  const { events, done } = run(straightDir());
  const end = await done;
  assertEnded(end, 'finished');
  const started = events.find((e) => e.type === 'started');
  assert.ok(started && started.type === 'started');
  assert.equal(started.backend, 'cpu');
  assert.equal(started.trainSize, 12);
  assert.ok(started.backendNotes.some((n) => n.name === 'wasm' && !n.ok && n.reason?.includes('forced')));
  assert.equal(events.filter((e) => e.type === 'checkpoint').length, EPOCHS);
  assert.equal(events.filter((e) => e.type === 'validation').length, EPOCHS);
  assert.ok(events.some((e) => e.type === 'progress' && e.itersPerEpoch === 2));
  if (end.type !== 'finished') return;
  straightModel = end.modelDir;
  assert.equal(end.iteration, EPOCHS * 2);
  verifyCheckpoint(end.checkpoint);
});

test('killed with SIGKILL halfway and resumed, a run ends with the same weights as a straight run', async () => {
  const dir = join(temp.dir, 'killed');
  const first = run(dir, {
    onEvent: (event, handle) => {
      if (event.type === 'checkpoint' && event.epoch === EPOCHS / 2) handle.kill('SIGKILL');
    },
  });
  const killed = await first.done;
  assertEnded(killed, 'failed');
  assert.match(killed.type === 'failed' ? killed.error : '', /SIGKILL/);
  const second = run(dir, { resumeFrom: dir });
  const end = await second.done;
  assertEnded(end, 'finished');
  const started = second.events.find((e) => e.type === 'started');
  assert.ok(started?.type === 'started' && started.resumedFrom?.includes('checkpoints'));
  if (end.type !== 'finished') return;
  const a = weights(straightModel);
  const b = weights(end.modelDir);
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  assert.ok(worst <= 1e-5, `largest weight difference ${worst}`);
});

test('a corrupt or truncated checkpoint is skipped with a message and the newest intact one is used', async () => {
  const newest = findResumePoint(straightDir()).dir;
  truncateSync(join(newest, 'model', 'weights.bin'), 100);
  const point = findResumePoint(straightDir());
  assert.notEqual(point.dir, newest);
  assert.equal(point.skipped.length, 1);
  assert.match(point.skipped[0], /weights\.bin has 100 bytes.*truncated/);
  assert.ok(point.skipped[0].includes(newest));

  const resumed = run(straightDir(), { resumeFrom: straightDir() });
  const end = await resumed.done;
  assertEnded(end, 'finished');
  const started = resumed.events.find((e) => e.type === 'started');
  assert.ok(started?.type === 'started');
  assert.equal(started.resumedFrom, point.dir);
  assert.match(started.skipped.join('\n'), /truncated/);
  // The damaged checkpoint is rewritten by the resumed run.
  verifyCheckpoint(newest);
});

test('stop finishes the step, writes a checkpoint and ends the run as stopped', async () => {
  const dir = join(temp.dir, 'stopped');
  let asked = false;
  const { events, done } = run(dir, {
    configExtra: { epochs: 50 },
    onEvent: (event, handle) => {
      if (event.type === 'progress' && !asked) {
        asked = true;
        handle.stop();
      }
    },
  });
  const end = await done;
  assertEnded(end, 'stopped');
  if (end.type !== 'stopped') return;
  assert.ok(end.checkpoint);
  const manifest = verifyCheckpoint(end.checkpoint);
  assert.equal(manifest.iteration, end.iteration);
  assert.ok(end.iteration >= 1 && end.iteration < 50 * 2);
  assert.ok(!events.some((e) => e.type === 'finished'));
});
