// Reproducible split assignment: the same seed, ratios and images give the same splits on
// any machine, because images are ordered by content hash before a seeded shuffle.
// Reassigning never moves test images a run or prediction set may have been measured on.
import { StudioError } from '../../../src-shared/api/define';
import type { Split } from '../../../src-shared/domain/image';
import type { Catalog } from './open-catalog';

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

/** mulberry32: small, fast, and identical everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Once runs or prediction sets exist, the test images they were measured on stay test: only
 * the other images are reshuffled, between train and val by their ratio (`keptTest` says so).
 */
export function assignSplits(
  catalog: Catalog,
  seed: number,
  ratios: SplitRatios,
): Record<Split, number> & { keptTest: boolean } {
  const keptTest = testIsMeasured(catalog);
  const effective = keptTest ? { ...ratios, test: 0 } : ratios;
  const sum = effective.train + effective.val + effective.test;
  if (!(sum > 0)) {
    throw new StudioError(
      'invalid-argument',
      keptTest
        ? 'train and validation ratios must add up to more than 0 (the test split is kept)'
        : 'split ratios must add up to more than 0',
    );
  }
  const where = keptTest ? "WHERE split <> 'test'" : '';
  const ids = (catalog.db.prepare(`SELECT id FROM images ${where} ORDER BY sha256`).all() as Array<{ id: number }>).map(
    (r) => r.id,
  );
  const random = seededRandom(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const train = Math.round((ids.length * effective.train) / sum);
  const val = Math.min(ids.length - train, Math.round((ids.length * effective.val) / sum));
  const update = catalog.db.prepare('UPDATE images SET split = ? WHERE id = ?');
  catalog.db.transaction(() => {
    ids.forEach((id, i) => update.run(i < train ? 'train' : i < train + val ? 'val' : 'test', id));
  })();
  const test = (catalog.db.prepare("SELECT COUNT(*) AS n FROM images WHERE split = 'test'").get() as { n: number }).n;
  return { train, val, test, keptTest };
}

/** Test images that runs or prediction sets exist beside: moving them would mix test into train. */
function testIsMeasured(catalog: Catalog): boolean {
  const hasTest = catalog.db.prepare("SELECT 1 FROM images WHERE split = 'test' LIMIT 1").get() !== undefined;
  const measured =
    catalog.db.prepare('SELECT 1 FROM runs UNION ALL SELECT 1 FROM prediction_sets LIMIT 1').get() !== undefined;
  return hasTest && measured;
}
