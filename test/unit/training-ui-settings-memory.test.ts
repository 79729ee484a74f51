// Revisiting the Train view keeps the user's last settings (per project), not the paper's AlexNet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../src-renderer/src/lib/training/settings';
import {
  rememberedSettings,
  rememberSettings,
  type SettingsStore,
} from '../../src-renderer/src/lib/training/settings-memory';

function store(): SettingsStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

test('the last settings come back for the same project; another project starts from the defaults', () => {
  const s = store();
  assert.deepEqual(rememberedSettings('/p/a', s), defaultSettings());
  rememberSettings(
    '/p/a',
    { ...defaultSettings(), model: 'alexnet-tiny', epochs: 3, optimizer: 'Adam', lr: 0.0005 },
    s,
  );
  const back = rememberedSettings('/p/a', s);
  assert.deepEqual([back.model, back.epochs, back.optimizer, back.lr], ['alexnet-tiny', 3, 'Adam', 0.0005]);
  assert.deepEqual(rememberedSettings('/p/b', s), defaultSettings());
});

test('stored values the schema refuses, unknown keys and broken JSON fall back to the defaults', () => {
  const s = store();
  s.setItem('deeppose.trainSettings:/p/a', JSON.stringify({ epochs: -2, model: 'alexnet-tiny', bogus: 1 }));
  const back = rememberedSettings('/p/a', s);
  assert.equal(back.epochs, defaultSettings().epochs);
  assert.equal(back.model, 'alexnet-tiny');
  assert.ok(!('bogus' in back));
  s.setItem('deeppose.trainSettings:/p/a', '{not json');
  assert.deepEqual(rememberedSettings('/p/a', s), defaultSettings());
});

test('without sessionStorage (tests, odd doors) the memory lasts the session in memory', () => {
  rememberSettings('/p/c', { ...defaultSettings(), epochs: 7 });
  assert.equal(rememberedSettings('/p/c').epochs, 7);
});
