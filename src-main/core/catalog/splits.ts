// Reproducible split assignment: the same seed, ratios and images give the same splits on
// any machine, because images are ordered by content hash before a seeded shuffle.
import { StudioError } from '../../../src-shared/api/define';
import type { Split } from '../../../src-shared/domain/image';
import type { Catalog } from './open-catalog';

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

/** mulberry32: small, fast, and identical everywhere. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function assignSplits(catalog: Catalog, seed: number, ratios: SplitRatios): Record<Split, number> {
  const sum = ratios.train + ratios.val + ratios.test;
  if (!(sum > 0)) throw new StudioError('invalid-argument', 'split ratios must add up to more than 0');
  const ids = (catalog.db.prepare('SELECT id FROM images ORDER BY sha256').all() as Array<{ id: number }>).map((r) => r.id);
  const random = seededRandom(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const train = Math.round((ids.length * ratios.train) / sum);
  const val = Math.min(ids.length - train, Math.round((ids.length * ratios.val) / sum));
  const update = catalog.db.prepare('UPDATE images SET split = ? WHERE id = ?');
  catalog.db.transaction(() => {
    ids.forEach((id, i) => update.run(i < train ? 'train' : i < train + val ? 'val' : 'test', id));
  })();
  return { train, val, test: ids.length - train - val };
}
