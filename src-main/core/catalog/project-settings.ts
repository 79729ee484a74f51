// Settings kept with a project in its catalog, by key, as JSON: they travel with the project
// folder, so another tab, browser or the desktop app finds them too.
import type { Catalog } from './open-catalog';

/** The Train form's last values. */
export const TRAIN_FORM_KEY = 'train-form';

export function readProjectSetting(catalog: Catalog, key: string): unknown {
  const row = catalog.db.prepare('SELECT value FROM project_settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value);
  } catch {
    return null; // a hand-edited catalog: the caller's defaults apply
  }
}

export function writeProjectSetting(catalog: Catalog, key: string, value: unknown): void {
  catalog.db
    .prepare(
      'INSERT INTO project_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(key, JSON.stringify(value), Date.now());
}
