import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Datasets made by independent tools; CI lays shared/ beside the clone. Read, never copied. */
export const fixturesDir = resolve(repoRoot, '..', 'shared', 'fixtures');
export const artifactsDir = join(repoRoot, 'test-artifacts');

/** A fresh folder for one test; removed when the test's `after` hook calls the returned cleanup. */
export function makeTempDir(prefix = 'deeppose-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
