import type { Migration } from './index';

/**
 * Settings kept with the project (the Train form's last values, so a reload or another
 * browser does not fall back to the paper's AlexNet), and an explicit 'absent' joint state:
 * visibility 0 with a reason (outside the picture, or not in it at all), which counts as
 * labeled for the image and exports as COCO's and LSP's v=0. Rows from before stay 'not labeled'.
 */
export const projectSettingsAbsentJoints: Migration = {
  version: 6,
  name: 'project-settings-absent-joints',
  sql: `
    CREATE TABLE project_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,       -- JSON
      updated_at INTEGER NOT NULL
    );
    ALTER TABLE keypoints ADD COLUMN absent TEXT CHECK (absent IS NULL OR (visibility = 0 AND absent IN ('out-of-frame', 'not-present')));
  `,
};
