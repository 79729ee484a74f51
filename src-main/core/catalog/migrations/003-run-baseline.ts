import type { Migration } from './index';

/**
 * A run's mean-pose baseline: the validation PCK@0.2 of always answering the training set's
 * mean pose, in the same views and scored as the run's validation is. Stored when the run is
 * launched on the data it trains on; runs from before have none (null).
 */
export const runBaseline: Migration = {
  version: 3,
  name: 'run-baseline',
  sql: `
    ALTER TABLE runs ADD COLUMN baseline_val_pck REAL;
  `,
};
