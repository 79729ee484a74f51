// The committed fixtures are what test/fixtures/make-fixtures.ts makes: a fresh run into a temp
// folder gives the same files, byte for byte. Where the bytes come from a library's encoder
// (JPEG by libvips, zlib's deflate) another build of it may pick other bytes for the same
// content, so those files fall back to comparing what they decode to.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { FIXTURE_SETS, makeFixtures } from '../fixtures/make-fixtures';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]))
    .sort();
}

/** A MAT-file with its miCOMPRESSED elements inflated. */
function inflatedMat(bytes: Buffer): Buffer {
  const parts = [bytes.subarray(0, 128)];
  for (let at = 128; at < bytes.length;) {
    const [type, size] = [bytes.readUInt32LE(at), bytes.readUInt32LE(at + 4)];
    const end = at + 8 + size + (type === 15 ? 0 : (8 - (size % 8)) % 8);
    parts.push(type === 15 ? inflateSync(bytes.subarray(at + 8, at + 8 + size)) : bytes.subarray(at, end));
    at = end;
  }
  return Buffer.concat(parts);
}

test('regenerating the fixtures reproduces the committed files', { timeout: 120_000 }, async () => {
  await makeFixtures(temp.dir);
  const listed = (root: string) =>
    FIXTURE_SETS.flatMap((set) => files(join(root, set))).map((path) => relative(root, path));
  const committed = listed(fixturesDir);
  assert.deepEqual(listed(temp.dir), committed);
  const differing: string[] = [];
  for (const name of committed) {
    const [want, got] = [readFileSync(join(fixturesDir, name)), readFileSync(join(temp.dir, name))];
    if (want.equals(got)) continue;
    differing.push(name);
    if (name.endsWith('.jpg') && !name.startsWith('bad')) {
      const [a, b] = await Promise.all([want, got].map((bytes) => sharp(bytes).raw().toBuffer()));
      assert.equal(a.length, b.length, name);
      const worst = a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0);
      assert.ok(worst <= 8, `${name}: pixels differ by up to ${worst} from a fresh run`);
    } else if (name.endsWith('.mat')) {
      assert.ok(inflatedMat(want).equals(inflatedMat(got)), `${name}: holds other data than a fresh run`);
    } else {
      assert.fail(`${name} differs from a fresh run of make-fixtures.ts (npm run fixtures rewrites it)`);
    }
  }
  if (differing.length) console.log(`# same content, other encoder bytes: ${differing.join(', ')}`);
});
