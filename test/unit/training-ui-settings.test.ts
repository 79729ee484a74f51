import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingConfigSchema } from '../../src-shared/training/config';
import type { BackendStatus } from '../../src-shared/api/training.contract';
import {
  backendThatWillRun,
  defaultLearningRate,
  defaultSettings,
  describeSettings,
  settingError,
  settingFields,
  settingsErrors,
  settingsFromConfig,
} from '../../src-renderer/src/lib/training/settings';
import { overlayColumns, trainLossColumns, validationColumns } from '../../src-renderer/src/lib/training/chart-data';

test('the form starts from the schema defaults, which the schema itself accepts', () => {
  const settings = defaultSettings();
  assert.equal(settings.optimizer, 'MomentumSGD');
  assert.equal(settings.lr, 0.01);
  assert.equal(settings.checkpointEvery, undefined);
  assert.deepEqual(settingsErrors(settings), {});
  const parsed = trainingConfigSchema.parse({ ...settings, joints: 14 });
  assert.equal(parsed.epochs, settings.epochs);
  for (const field of settingFields) assert.ok(field.key in settings, field.key);
});

test('bad values are refused field by field; Adam gets its own default rate', () => {
  assert.equal(settingError('lr', 0.001), null);
  assert.equal(settingError('lr', -1), 'Learning rate must be greater than 0');
  assert.equal(settingError('epochs', null), 'Epochs is required');
  assert.equal(settingError('batchSize', 2.5), 'Batch size must be a whole number');
  assert.equal(settingError('batchSize', 100000), 'Batch size must be at most 1024');
  assert.equal(settingError('momentum', 3), 'Momentum must be at most 1');
  assert.equal(settingError('checkpointEvery', undefined), null);
  assert.ok(settingsErrors({ ...defaultSettings(), momentum: 3 }).momentum);
  assert.equal(defaultLearningRate('Adam'), 0.001);
  assert.equal(defaultLearningRate('MomentumSGD'), 0.01);
});

test('an earlier run gives its settings back; unknown or broken values keep the defaults', () => {
  const settings = settingsFromConfig({ optimizer: 'Adam', lr: 0.0005, epochs: -2, joints: 14, model: 'alexnet-tiny' });
  assert.equal(settings.optimizer, 'Adam');
  assert.equal(settings.lr, 0.0005);
  assert.equal(settings.epochs, defaultSettings().epochs);
  assert.ok(!('joints' in settings));
  assert.equal(
    describeSettings({
      optimizer: 'Adam',
      lr: 0.001,
      model: 'alexnet-tiny',
      epochs: 3,
      batchSize: 8,
      flip: true,
      seed: 1,
    }),
    'Adam lr 0.001 · alexnet-tiny · 3 epochs × batch 8 · flip · seed 1',
  );
});

test('the backend that will run: the preferred under auto, a forced one only when it can', () => {
  const backends: BackendStatus[] = [
    { name: 'tfjs-node', available: false, reason: 'package not installed', preferred: false },
    { name: 'onnx-cpu', available: true, reason: 'ONNX Runtime kernels', preferred: true },
    { name: 'cpu', available: true, reason: 'pure JavaScript', preferred: false },
  ];
  assert.equal(backendThatWillRun(backends, 'auto').name, 'onnx-cpu');
  assert.equal(backendThatWillRun(backends, 'cpu').name, 'cpu');
  const forced = backendThatWillRun(backends, 'tfjs-node');
  assert.equal(forced.name, null);
  assert.match(forced.why, /package not installed/);
  assert.equal(backendThatWillRun([], 'auto').name, null);
});

test('chart columns: raw and smoothed loss per iteration, PCK in percent, runs overlaid on the union of x', () => {
  const train = [1, 2, 3].map((i) => ({ epoch: 1, iteration: i, loss: 1 / i, pck: null }));
  const [xs, raw, smooth] = trainLossColumns(train, 0.5);
  assert.deepEqual(xs, [1, 2, 3]);
  assert.deepEqual(raw, [1, 0.5, 1 / 3]);
  assert.equal(smooth.length, 3);
  assert.deepEqual(validationColumns([{ epoch: 2, iteration: 20, loss: 0.4, pck: 0.25 }]), [[2], [0.4], [25]]);
  assert.deepEqual(
    overlayColumns([
      { xs: [1, 3], ys: [10, 30] },
      { xs: [2, 3], ys: [20, 31] },
    ]),
    [
      [1, 2, 3],
      [10, null, 30],
      [null, 20, 31],
    ],
  );
});
