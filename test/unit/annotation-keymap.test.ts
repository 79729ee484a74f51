import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindings, commandFor, type KeyPress } from '../../src-renderer/src/lib/annotation/keymap';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

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
