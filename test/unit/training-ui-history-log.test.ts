// Revisiting a run: its log is rebuilt from the stored metric rows and status, and lines the
// events seen live this session will say themselves are not said twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricRow, RunSummary } from '../../src-shared/api/training.contract';
import { historyLog } from '../../src-renderer/src/lib/training/history-log';
import { applyRunEvent, runStateFromHistory } from '../../src-renderer/src/lib/training/run-state';

const run: RunSummary = {
  id: 'r1',
  name: 'run 1',
  status: 'finished',
  backend: 'onnx-cpu',
  config: { epochs: 2 },
  createdAt: 1000,
  startedAt: 2000,
  endedAt: 9000,
  durationSeconds: 7,
  bestValPck: 0.5,
  lastValPck: 0.4,
  baselineValPck: null,
  error: null,
  dir: '/p/runs/r1',
  taskId: null,
};
const row = (
  split: 'train' | 'val',
  epoch: number,
  iteration: number,
  loss: number,
  pck: number | null = null,
): MetricRow => ({
  epoch,
  iteration,
  split,
  loss,
  pck,
  imagesPerSecond: split === 'train' ? 12.5 : null,
  at: 2000 + iteration * 100,
});
const metrics = [
  row('train', 1, 5, 0.9),
  row('train', 1, 10, 0.5),
  row('val', 1, 10, 0.45, 0.5),
  row('train', 2, 15, 0.4),
  row('train', 2, 20, 0.3),
  row('val', 2, 20, 0.35, 0.4),
];

test("a finished run opened later shows its log: start, each epoch's last point, validations, the end", () => {
  const log = runStateFromHistory(run, metrics).log;
  assert.deepEqual(
    log.map((l) => [l.kind, l.text]),
    [
      ['started', 'Started on onnx-cpu (log rebuilt from the stored run).'],
      ['epoch', 'Epoch 1 reached iteration 10: loss 0.5000, 12.5 images/s.'],
      ['validation', 'Validation after epoch 1: loss 0.4500, PCK 50.0%.'],
      ['epoch', 'Epoch 2 reached iteration 20: loss 0.3000, 12.5 images/s.'],
      ['validation', 'Validation after epoch 2: loss 0.3500, PCK 40.0%.'],
      ['finished', 'Finished at epoch 2, iteration 20.'],
    ],
  );
  assert.equal(log[1].at, 3000, 'each line carries when its row was stored');
  assert.equal(log.at(-1)!.at, 9000);
});

test('stopped and failed runs end with their status; a run that never started has an empty log', () => {
  assert.equal(
    historyLog({ ...run, status: 'stopped' }, metrics.slice(0, 4)).at(-1)!.text,
    'Stopped at epoch 2, iteration 15.',
  );
  assert.equal(
    historyLog({ ...run, status: 'failed', error: 'out of memory' }, []).at(-1)!.text,
    'Failed: out of memory',
  );
  assert.deepEqual(historyLog({ ...run, status: 'queued', startedAt: null }, []), []);
});

test('events seen live this session are left to say their own lines', () => {
  const cut = runStateFromHistory({ ...run, status: 'running', endedAt: null }, metrics, {
    fromIteration: 15,
    started: true,
  });
  assert.deepEqual(
    cut.log.map((l) => l.kind),
    ['epoch', 'validation'],
  );
  const live = applyRunEvent(
    cut,
    { type: 'validation', epoch: 2, iteration: 20, loss: 0.35, pck: 0.4, samples: [] },
    9000,
    true,
  );
  assert.equal(live.log.filter((l) => l.kind === 'validation').length, 2);
});
