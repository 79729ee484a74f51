import type { Migration } from './index';

/**
 * Each prediction's confidence proxies (src-shared/domain/confidence.ts): the flip
 * disagreement and the cascade's last correction, per image and per joint (JSON arrays).
 * Rows from before stay NULL: they were predicted without them.
 */
export const predictionConfidence: Migration = {
  version: 4,
  name: 'prediction-confidence',
  sql: `
    ALTER TABLE predictions ADD COLUMN flip_disagreement REAL;
    ALTER TABLE predictions ADD COLUMN flip_per_joint TEXT;
    ALTER TABLE predictions ADD COLUMN last_correction REAL;
    ALTER TABLE predictions ADD COLUMN correction_per_joint TEXT;
  `,
};
