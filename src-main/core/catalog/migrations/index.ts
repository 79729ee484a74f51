// Numbered schema migrations, applied in order and recorded in `schema_migrations`.
// A new migration is a new file here plus one entry in `migrations`; never edit a released one.
import type Database from 'better-sqlite3';
import { initial } from './001-initial';
import { predictionDetails } from './002-prediction-details';
import { runBaseline } from './003-run-baseline';
import { predictionConfidence } from './004-prediction-confidence';
import { predictionDenseWeights } from './005-prediction-dense-weights';
import { projectSettingsAbsentJoints } from './006-project-settings-absent-joints';
import { runEvaluation } from './008-run-evaluation';
import { suggestions } from './007-suggestions';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Brings data kept outside the catalog by older builds in, inside the migration's
   * transaction; what it returns runs after the commit (removing what was adopted).
   */
  adopt?(db: Database.Database, projectDir: string): (() => void) | undefined;
}

export const migrations: Migration[] = [
  initial,
  predictionDetails,
  runBaseline,
  predictionConfidence,
  predictionDenseWeights,
  projectSettingsAbsentJoints,
  suggestions,
  runEvaluation,
];

export const latestVersion = migrations[migrations.length - 1].version;
