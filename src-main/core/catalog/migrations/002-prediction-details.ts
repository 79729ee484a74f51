import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Migration } from './index';

/** What 0.1 builds kept per prediction set in <project>/predictions/set-<id>.json. */
interface LegacyDetails {
  backend?: string | null;
  msPerImage?: { mean: number; std: number } | null;
  sizes?: Record<string, [number, number]>;
}

/**
 * A prediction set's backend and inference timing, and each prediction's image size, move
 * into the catalog (from a JSON file per set): written with the rows, in the same
 * transactions, and read with them.
 */
export const predictionDetails: Migration = {
  version: 2,
  name: 'prediction-details',
  sql: `
    ALTER TABLE prediction_sets ADD COLUMN backend TEXT;
    ALTER TABLE prediction_sets ADD COLUMN ms_mean REAL;
    ALTER TABLE prediction_sets ADD COLUMN ms_std REAL;
    ALTER TABLE predictions ADD COLUMN width INTEGER;
    ALTER TABLE predictions ADD COLUMN height INTEGER;
  `,
  adopt(db: Database.Database, projectDir: string) {
    const folder = join(projectDir, 'predictions');
    let files: string[];
    try {
      files = readdirSync(folder).filter((f) => /^set-\d+\.json$/.test(f));
    } catch {
      return undefined; // no prediction set was ever made here
    }
    const setTiming = db.prepare('UPDATE prediction_sets SET backend = ?, ms_mean = ?, ms_std = ? WHERE id = ?');
    const setSize = db.prepare('UPDATE predictions SET width = ?, height = ? WHERE set_id = ? AND image_path = ?');
    for (const file of files) {
      const setId = Number(/\d+/.exec(file)![0]);
      let details: LegacyDetails;
      try {
        details = JSON.parse(readFileSync(join(folder, file), 'utf8')) as LegacyDetails;
      } catch {
        continue; // unreadable: the set keeps its rows, without timing
      }
      setTiming.run(details.backend ?? null, details.msPerImage?.mean ?? null, details.msPerImage?.std ?? null, setId);
      for (const [path, [width, height]] of Object.entries(details.sizes ?? {}))
        setSize.run(width, height, setId, path);
    }
    // Once the catalog holds them (after the commit), the files go, and the folder if that empties it.
    return () => {
      for (const file of files) rmSync(join(folder, file), { force: true });
      if (readdirSync(folder).length === 0) rmdirSync(folder);
    };
  },
};
