// Numbered schema migrations, applied in order and recorded in `schema_migrations`.
// A new migration is a new file here plus one entry in `migrations`; never edit a released one.
import { initial } from './001-initial';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [initial];

export const latestVersion = migrations[migrations.length - 1].version;
