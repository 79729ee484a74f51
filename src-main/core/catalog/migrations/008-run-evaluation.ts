import type { Migration } from './index';

/**
 * A run's held-out figures as the papers report them: the last validation's PCP@0.5 and the
 * mean-pose baseline's, the full per-stage, per-joint report (JSON, PoseReport), the default
 * validation split's note when the run made one, and which metric definitions its figures
 * use. Runs from before scored PCK against the right shoulder – left hip with `<=`: they are
 * marked so, and their stored names (best_val_pck, baseline_val_pck, metrics.pck) keep
 * their meaning.
 */
export const runEvaluation: Migration = {
  version: 8,
  name: 'run-evaluation',
  sql: `
    ALTER TABLE runs ADD COLUMN val_pcp REAL;
    ALTER TABLE runs ADD COLUMN baseline_val_pcp REAL;
    ALTER TABLE runs ADD COLUMN val_report TEXT;
    ALTER TABLE runs ADD COLUMN split_note TEXT;
    ALTER TABLE runs ADD COLUMN metric_convention TEXT;
    UPDATE runs SET metric_convention = 'rshoulder-lhip-le';
  `,
};
