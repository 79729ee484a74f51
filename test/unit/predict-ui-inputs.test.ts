import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelChoice, PredictionSource } from '../../src-shared/api/predictions.contract';
import type { RunSummary } from '../../src-shared/api/training.contract';
import {
  defaultExportPath,
  MODEL_FOLDER_KEY,
  modelOptions,
  resolveModel,
  resolveSource,
} from '../../src-renderer/src/lib/predictions/predict-inputs';

function run(
  id: string,
  status: RunSummary['status'],
  bestValPck: number | null = null,
  lastValPck: number | null = bestValPck,
): RunSummary {
  return {
    id,
    name: `run ${id}`,
    status,
    backend: 'cpu',
    config: {},
    createdAt: 0,
    startedAt: 0,
    endedAt: null,
    durationSeconds: null,
    bestValPck,
    lastValPck,
    baselineValPck: null,
    error: null,
    dir: `/runs/${id}`,
    taskId: null,
  };
}

test('a finished run offers its final model and latest checkpoint; other runs only their latest checkpoint', () => {
  const options = modelOptions([run('a', 'finished', 0.5, 0.4), run('b', 'stopped'), run('c', 'queued')]);
  assert.deepEqual(
    options.map((o) => o.key),
    ['a:final', 'a:latest', 'b:latest'],
  );
  // The final model is the last epoch's, not the best one's: its label says the last validation.
  assert.equal(options[0].label, 'run a: final model · last validation PCK 40.0%');
  assert.equal(options[1].label, 'run a: latest checkpoint (finished) · last validation PCK 40.0%');
  assert.equal(options[2].label, 'run b: latest checkpoint (stopped)');
  assert.deepEqual(options[2].choice, { runId: 'b', checkpoint: 'latest' });
  for (const option of options)
    assert.ok(ModelChoice.safeParse(option.choice).success, 'the contract takes every option');
});

test('the model resolves from the option picked or the folder typed in, and says what is missing', () => {
  const options = modelOptions([run('a', 'finished')]);
  assert.deepEqual(resolveModel('a:latest', options, ''), { ok: true, value: { runId: 'a', checkpoint: 'latest' } });
  assert.deepEqual(resolveModel(MODEL_FOLDER_KEY, options, '  /models/tiny  '), {
    ok: true,
    value: { modelFolder: '/models/tiny' },
  });
  assert.equal(resolveModel(MODEL_FOLDER_KEY, options, ' ').ok, false);
  assert.equal(resolveModel('gone:final', options, '').ok, false);
});

test('the source is a trimmed folder path or a split, in the shape the contract takes', () => {
  const folder = resolveSource('folder', ' /data/new ');
  assert.deepEqual(folder, { ok: true, value: { folder: '/data/new' } });
  assert.deepEqual(resolveSource('val', 'ignored'), { ok: true, value: { split: 'val' } });
  const missing = resolveSource('folder', '');
  assert.equal(missing.ok, false);
  if (folder.ok) assert.ok(PredictionSource.safeParse(folder.value).success);
});

test('exports default to a file in the project folder, named for the set and format', () => {
  assert.equal(defaultExportPath('/home/me/proj/', 7, 'csv'), '/home/me/proj/predictions-7.csv');
  assert.equal(defaultExportPath('/home/me/proj', 7, 'coco'), '/home/me/proj/predictions-7.coco-results.json');
  assert.equal(defaultExportPath('C:\\Users\\me\\proj', 2, 'csv'), 'C:\\Users\\me\\proj\\predictions-2.csv');
});
