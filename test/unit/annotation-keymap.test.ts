import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindings, commandFor, nudgeFor, type KeyPress } from '../../src-renderer/src/lib/annotation/keymap';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

test('undo and both redo chords are told apart, on Ctrl and on Cmd', () => {
  assert.equal(commandFor(press('z', { ctrlKey: true })), 'undo');
  assert.equal(commandFor(press('Z', { ctrlKey: true, shiftKey: true })), 'redo');
  assert.equal(commandFor(press('y', { ctrlKey: true })), 'redo');
  assert.equal(commandFor(press('z', { metaKey: true })), 'undo');
  assert.equal(commandFor(press('z')), null);
});

test('plain keys map to their commands and not with a modifier held', () => {
  assert.equal(commandFor(press('v')), 'cycle-visibility');
  assert.equal(commandFor(press('V', { shiftKey: true })), 'cycle-visibility');
  assert.equal(commandFor(press('PageDown')), 'next-image');
  assert.equal(commandFor(press('Delete')), 'delete-joint');
  assert.equal(commandFor(press('?', { shiftKey: true })), 'help');
  assert.equal(commandFor(press('d', { ctrlKey: true })), null);
});

test('every command has exactly one binding shown in the help', () => {
  const commands = bindings.map((b) => b.command);
  assert.equal(new Set(commands).size, commands.length);
  for (const binding of bindings) assert.ok(binding.keys.length > 0 && binding.description);
});

test('arrows nudge the selected joint by one image pixel, ten with Shift; N goes to the next unlabeled image', () => {
  assert.equal(commandFor(press('ArrowDown')), 'nudge-joint');
  assert.equal(commandFor(press('ArrowLeft', { shiftKey: true })), 'nudge-joint');
  assert.equal(commandFor(press('ArrowUp', { ctrlKey: true })), null);
  assert.deepEqual(nudgeFor(press('ArrowRight')), { dx: 1, dy: 0 });
  assert.deepEqual(nudgeFor(press('ArrowUp', { shiftKey: true })), { dx: 0, dy: -10 });
  assert.equal(nudgeFor(press('s')), null);
  assert.equal(commandFor(press('n')), 'next-unlabeled-image');
  assert.equal(commandFor(press('s')), 'next-joint');
});
