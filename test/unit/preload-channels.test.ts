// The preload repeats the contract's channel names as plain strings (it may bundle no npm
// package, and the contract builds zod schemas): the two lists must not drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callNames, eventNames } from '../../src-shared/api/contract';
import { callChannels, eventChannels } from '../../src-preload/channels';

const sorted = (names: readonly string[]) => [...names].sort();

test("the preload's call allow-list equals the contract's calls (npm run generate writes src-preload/channels.ts)", () => {
  assert.deepEqual(sorted(callChannels), sorted(callNames));
  assert.equal(new Set(callChannels).size, callChannels.length, 'a call is listed twice');
});

test("the preload's event allow-list equals the contract's events", () => {
  assert.deepEqual(sorted(eventChannels), sorted(eventNames));
});
