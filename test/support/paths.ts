import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The datasets the tests import: made by the project's own code (test/fixtures/make-fixtures.ts), committed. */
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
/**
 * The same kinds of datasets made by independent tools, laid beside the clone where it has them
 * (read, never copied): a cross-check that the importers agree with someone else's files.
 */
export const sharedFixturesDir = resolve(repoRoot, '..', 'shared', 'fixtures');
/** For `test(name, { skip: sharedFixturesSkip }, ...)`: false, or why the cross-check cannot run. */
export const sharedFixturesSkip: string | false = existsSync(sharedFixturesDir)
  ? false
  : `cross-check against the independent-tool fixtures: ${sharedFixturesDir} is absent (only a checkout with shared/ beside it has them)`;
/** The fixture sets a cross-checked test runs over: the project's own always, the independent ones when present. */
export const fixtureSources = [
  { label: 'own', dir: fixturesDir, skip: false as string | false },
  { label: 'independent', dir: sharedFixturesDir, skip: sharedFixturesSkip },
];
export const artifactsDir = join(repoRoot, 'test-artifacts');

/** A fresh folder for one test; removed when the test's `after` hook calls the returned cleanup. */
export function makeTempDir(prefix = 'deeppose-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
