import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricRow, RunSummary } from '../../src-shared/api/training.contract';
import type { ValidationSample, WorkerEvent } from '../../src-shared/training/protocol';
import {
  applyRunEvent,
  bestValidationPck,
  runFraction,
  runStateFromHistory,
  type RunState,
} from '../../src-renderer/src/lib/training/run-state';

const summary: RunSummary = {
  id: 'r1',
  name: 'run 1',
  status: 'running',
  backend: 'cpu',
  config: { epochs: 4 },
  createdAt: 0,
  startedAt: 0,
  endedAt: null,
  durationSeconds: null,
  bestValPck: null,
  lastValPck: null,
  baselineValPck: null,
  error: null,
  dir: '/p/runs/r1',
  taskId: 't1',
};
const row = (split: 'train' | 'val', iteration: number, loss: number, pck: number | null = null): MetricRow => ({
  epoch: Math.ceil(iteration / 10),
  iteration,
  split,
  loss,
  pck,
  imagesPerSecond: null,
  at: 1_000 * iteration,
});
const progress = (iteration: number, loss: number): WorkerEvent => ({
  type: 'progress',
  epoch: Math.ceil(iteration / 10),
  iteration,
  itersPerEpoch: 10,
  totalIterations: 40,
  loss,
  lr: 0.001,
  imagesPerSecond: 20,
  etaSeconds: 30,
});
const fold = (state: RunState, events: WorkerEvent[]) => events.reduce((s, e, i) => applyRunEvent(s, e, i), state);

test('reattaching: history first, then live events, some of which the history already holds, give one point per iteration', () => {
  const history = [row('train', 1, 0.9), row('train', 2, 0.8), row('train', 3, 0.7), row('val', 3, 0.75, 0.2)];
  const state = fold(runStateFromHistory(summary, history), [progress(3, 0.7), progress(4, 0.6), progress(5, 0.5)]);
  assert.deepEqual(
    state.train.map((p) => [p.iteration, p.loss]),
    [
      [1, 0.9],
      [2, 0.8],
      [3, 0.7],
      [4, 0.6],
      [5, 0.5],
    ],
  );
  assert.equal(state.val.length, 1);
  assert.equal(state.liveUpdates, 3);
  assert.equal(state.progress?.iteration, 5);
  assert.equal(runFraction(state.progress), 5 / 40);
});

test('a resume from an older checkpoint rewinds the curve to where training really continues', () => {
  const start = fold(
    runStateFromHistory({ ...summary, status: 'failed', error: 'out of memory' }, []),
    [1, 2, 3, 4, 5, 6].map((i) => progress(i, 1 / i)),
  );
  assert.equal(start.status, 'failed');
  const resumed = fold(start, [
    {
      type: 'started',
      backend: 'wasm',
      backendNotes: [{ name: 'tfjs-node', ok: false, reason: 'not installed' }],
      model: 'alexnet-tiny',
      trainSize: 40,
      valSize: 10,
      params: 12345,
      resumedFrom: '/p/runs/r1/checkpoints/ep-0',
      skipped: ['ep-1: truncated file'],
      stepEngine: 'tfjs (off (backend wasm))',
    },
    progress(5, 0.3),
  ]);
  assert.equal(resumed.status, 'running');
  assert.equal(resumed.error, null);
  assert.equal(resumed.backend, 'wasm');
  assert.deepEqual(
    resumed.train.map((p) => p.iteration),
    [1, 2, 3, 4, 5],
  );
  assert.equal(resumed.train.at(-1)?.loss, 0.3);
  // The stored run's rebuilt lines (started, failed) come first, then the resume.
  assert.deepEqual(
    resumed.log.map((l) => l.kind),
    ['started', 'failed', 'started'],
  );
  assert.match(resumed.log[2].text, /Resumed from .*ep-0 on wasm: alexnet-tiny, 12,345 parameters, 40 train \/ 10 val/);
  assert.match(resumed.log[2].text, /tfjs-node: not installed/);
  assert.match(resumed.log[2].text, /Skipped checkpoint ep-1: truncated file/);
  assert.match(resumed.log[2].text, /Training step: tfjs \(off \(backend wasm\)\)\./);
});

test('validation, stop and finish: status, best PCK, the latest samples, and the final history merged in', () => {
  let state = runStateFromHistory(summary, []);
  state = fold(state, [
    progress(10, 0.5),
    { type: 'validation', epoch: 1, iteration: 10, loss: 0.55, pck: 0.3, samples: [] },
    { type: 'checkpoint', path: '/p/runs/r1/checkpoints/ep-1', epoch: 1, iteration: 10 },
    { type: 'stopped', epoch: 1, iteration: 10, checkpoint: '/p/runs/r1/checkpoints/ep-1' },
  ]);
  assert.equal(state.status, 'stopped');
  assert.deepEqual(state.samples, []);
  const sample: ValidationSample = { imagePath: '/p/img/1.png', joints: [[1, 2]], truth: [[1, 3, 2]] };
  const validation: WorkerEvent = {
    type: 'validation',
    epoch: 2,
    iteration: 20,
    loss: 0.4,
    pck: 0.6,
    samples: [sample],
  };
  state = fold(state, [progress(20, 0.4), validation]);
  assert.deepEqual(state.samples, [sample]);
  state = fold(state, [
    {
      type: 'finished',
      epoch: 2,
      iteration: 20,
      modelDir: '/p/runs/r1/model',
      checkpoint: 'x',
      history: [
        { epoch: 1, iteration: 10, split: 'train', loss: 0.45, pck: null, imagesPerSecond: 10 },
        { epoch: 1, iteration: 10, split: 'val', loss: 0.55, pck: 0.3, imagesPerSecond: null },
        { epoch: 1, iteration: 15, split: 'val', loss: 0.5, pck: 0.4, imagesPerSecond: null },
      ],
    },
  ]);
  assert.equal(state.status, 'finished');
  // Epoch means do not overwrite the per-iteration curve; validations are merged in.
  assert.deepEqual(
    state.train.map((p) => [p.iteration, p.loss]),
    [
      [10, 0.5],
      [20, 0.4],
    ],
  );
  assert.deepEqual(
    state.val.map((p) => p.iteration),
    [10, 15, 20],
  );
  assert.equal(bestValidationPck(state), 0.6);
  assert.deepEqual(
    state.log.map((l) => l.kind),
    ['started', 'validation', 'checkpoint', 'stopped', 'validation', 'finished'],
  );
  assert.match(state.log[2].text, /Checkpoint at epoch 1\/4, iteration 10: .*ep-1/);
});

test('events replayed after a fetch merge into the history without cutting it; the next live point continues it', () => {
  const history = [1, 2, 3, 4, 5, 6].map((i) => row('train', i, 1 / i));
  let state = runStateFromHistory(summary, history);
  // Received while runs.get was on its way: the history already holds iteration 3.
  state = applyRunEvent(state, progress(3, 1 / 3), 0, true);
  assert.deepEqual(
    state.train.map((p) => p.iteration),
    [1, 2, 3, 4, 5, 6],
  );
  state = applyRunEvent(state, progress(7, 1 / 7), 1);
  assert.deepEqual(
    state.train.map((p) => p.iteration),
    [1, 2, 3, 4, 5, 6, 7],
  );
});

// One counter: 'epoch 4/4, iter 35' before Stop read 'epoch 3/4, iter 37' after it (the stop
// counts epochs completed, the progress line the epoch the run is in).
test("at stop the header keeps the epoch the run was in and takes the stop's iteration; the log says both", () => {
  const state = fold(runStateFromHistory(summary, []), [
    progress(35, 0.5),
    { type: 'stopped', epoch: 3, iteration: 37, checkpoint: '/p/runs/r1/checkpoints/ep-3' },
  ]);
  assert.equal(state.status, 'stopped');
  assert.deepEqual([state.progress?.epoch, state.progress?.iteration], [4, 37]);
  assert.match(state.log.at(-1)!.text, /Stopped at iteration 37, after epoch 3\/4/);
});
