// Published splits, so results compare with the papers. LSP's standard split (Johnson &
// Everingham): im0001–im1000 train, im1001–im2000 test, by file name; it has no validation
// part. Images with other names (LSPET's im00001, the user's own) keep their split.
import { basename } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import type { Split } from '../../../src-shared/domain/image';
import type { SplitPreset } from '../../../src-shared/api/catalog.contract';
import type { Catalog } from './open-catalog';

/** LSP's split of an image by its file name, or null for a name outside im0001–im2000. */
export function lspSplitOf(path: string): Split | null {
  const match = /^im(\d{4})\.[a-z]+$/i.exec(basename(path));
  const n = match ? Number(match[1]) : 0;
  if (n >= 1 && n <= 1000) return 'train';
  if (n >= 1001 && n <= 2000) return 'test';
  return null;
}

/**
 * Applies a preset to the images it names; `unmatched` counts the images left as they were.
 * Once runs or prediction sets exist, a test image is never moved out of test (they were
 * measured on it): such a preset is refused whole, naming how many would move.
 */
export function applySplitPreset(catalog: Catalog, preset: SplitPreset): Record<Split, number> & { unmatched: number } {
  const rows = catalog.db.prepare('SELECT id, path, split FROM images').all() as Array<{
    id: number;
    path: string;
    split: Split;
  }>;
  const planned = rows.flatMap((r) => {
    const split = preset === 'lsp' ? lspSplitOf(r.path) : null;
    return split ? [{ ...r, to: split }] : [];
  });
  if (planned.length === 0)
    throw new StudioError(
      'invalid-argument',
      "no image is named im0001…im2000 (LSP's file names; images copied into the project are named by content)",
    );
  const measured =
    catalog.db.prepare('SELECT 1 FROM runs UNION ALL SELECT 1 FROM prediction_sets LIMIT 1').get() !== undefined;
  const leavingTest = planned.filter((r) => r.split === 'test' && r.to !== 'test').length;
  if (measured && leavingTest > 0) {
    throw new StudioError(
      'conflict',
      `${leavingTest} test images would move to train, but runs or prediction sets were measured on them; the split is unchanged`,
    );
  }
  const update = catalog.db.prepare('UPDATE images SET split = ? WHERE id = ?');
  catalog.db.transaction(() => planned.forEach((r) => update.run(r.to, r.id)))();
  const counts = Object.fromEntries(
    (
      catalog.db.prepare('SELECT split, COUNT(*) AS n FROM images GROUP BY split').all() as Array<{
        split: Split;
        n: number;
      }>
    ).map((r) => [r.split, r.n]),
  );
  return {
    train: counts.train ?? 0,
    val: counts.val ?? 0,
    test: counts.test ?? 0,
    unmatched: rows.length - planned.length,
  };
}
