import type { Migration } from './index';

/**
 * Suggested people, kept apart from labels: a suggester's box and score per person, and per
 * joint its position and score. Training, validation and dataset exports read instances and
 * keypoints only, so a suggestion counts nowhere until a person accepts it (it then becomes an
 * instance with keypoints, and the suggestion is removed).
 */
export const suggestions: Migration = {
  version: 7,
  name: 'suggestions',
  sql: `
    CREATE TABLE suggestions (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      suggester TEXT NOT NULL,
      box_x REAL NOT NULL, box_y REAL NOT NULL, box_w REAL NOT NULL, box_h REAL NOT NULL,
      score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
      created_at INTEGER NOT NULL
    );
    CREATE INDEX suggestions_image ON suggestions(image_id);
    CREATE TABLE suggested_joints (
      suggestion_id INTEGER NOT NULL REFERENCES suggestions(id) ON DELETE CASCADE,
      joint INTEGER NOT NULL CHECK (joint >= 0),
      x REAL NOT NULL,
      y REAL NOT NULL,
      score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
      PRIMARY KEY (suggestion_id, joint)
    ) WITHOUT ROWID;
  `,
};
