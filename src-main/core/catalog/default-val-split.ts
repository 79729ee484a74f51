// A project whose labeled pictures are all in train (a reference-list import puts them there)
// would train with nothing held out, and report no accuracy. When a run is set up on such a
// project, a seeded tenth of its train pictures moves to val, whole images at a time, so that
// every run reports held-out figures; the user can reassign splits afterwards as before.
import type { Catalog } from './open-catalog';
import { seededRandom } from './splits';

/** The share of train pictures a default split holds out, and its seed (the same pictures on any machine). */
export const DEFAULT_VAL_SPLIT = { fraction: 0.1, seed: 1 } as const;

/** Fewer labeled train pictures than this cannot spare a validation part: the run trains on them all. */
const MIN_PICTURES = 10;

export interface DefaultValSplit {
  moved: number;
  of: number;
  /** One line for the run's log and the CLI. */
  note: string;
}

/** Moves the default share of labeled train pictures to val when no labeled picture is in val; null when nothing moved. */
export function ensureValidationSplit(catalog: Catalog): DefaultValSplit | null {
  const labeled = (split: string) =>
    (
      catalog.db
        .prepare(
          `SELECT i.id FROM images i WHERE i.split = ?
             AND EXISTS (SELECT 1 FROM instances n JOIN keypoints k ON k.instance_id = n.id WHERE n.image_id = i.id AND k.visibility > 0)
           ORDER BY i.sha256`,
        )
        .all(split) as Array<{ id: number }>
    ).map((r) => r.id);
  if (labeled('val').length > 0) return null;
  const ids = labeled('train');
  if (ids.length < MIN_PICTURES) return null;
  const random = seededRandom(DEFAULT_VAL_SPLIT.seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const moved = Math.max(1, Math.round(ids.length * DEFAULT_VAL_SPLIT.fraction));
  const update = catalog.db.prepare("UPDATE images SET split = 'val' WHERE id = ?");
  catalog.db.transaction(() => ids.slice(0, moved).forEach((id) => update.run(id)))();
  return {
    moved,
    of: ids.length,
    note: `no validation pictures: held out ${moved} of ${ids.length} train pictures as val (seeded default split, ${100 * DEFAULT_VAL_SPLIT.fraction}%, seed ${DEFAULT_VAL_SPLIT.seed}); change it with Assign splits`,
  };
}
