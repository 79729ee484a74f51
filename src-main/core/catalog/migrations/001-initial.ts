import type { Migration } from './index';

/** Project, skeleton, images, instances, keypoints, runs, metrics and predictions. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE skeletons (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      joints TEXT NOT NULL,      -- JSON string[]
      edges TEXT NOT NULL,       -- JSON [number, number][]
      flip_pairs TEXT NOT NULL   -- JSON [number, number][]
    );
    CREATE TABLE project (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      name TEXT NOT NULL,
      skeleton_id INTEGER NOT NULL REFERENCES skeletons(id),
      created_at INTEGER NOT NULL
    );
    CREATE TABLE images (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL UNIQUE,
      width INTEGER NOT NULL CHECK (width > 0),
      height INTEGER NOT NULL CHECK (height > 0),
      split TEXT NOT NULL DEFAULT 'train' CHECK (split IN ('train', 'val', 'test')),
      added_at INTEGER NOT NULL
    );
    CREATE INDEX images_split ON images(split);
    CREATE TABLE instances (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      box_x REAL, box_y REAL, box_w REAL, box_h REAL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX instances_image ON instances(image_id);
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      config TEXT NOT NULL,
      backend TEXT,
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'stopped', 'failed', 'finished')),
      created_at INTEGER NOT NULL,
      started_at INTEGER,
      ended_at INTEGER,
      error TEXT,
      best_val_pck REAL,
      duration_seconds REAL,
      dir TEXT NOT NULL
    );
    CREATE TABLE keypoints (
      instance_id INTEGER NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
      joint INTEGER NOT NULL CHECK (joint >= 0),
      x REAL NOT NULL,
      y REAL NOT NULL,
      visibility INTEGER NOT NULL CHECK (visibility IN (0, 1, 2)),
      source TEXT NOT NULL CHECK (source IN ('human', 'model')),
      run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
      PRIMARY KEY (instance_id, joint)
    ) WITHOUT ROWID;
    CREATE TABLE metrics (
      id INTEGER PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      epoch INTEGER NOT NULL,
      iteration INTEGER NOT NULL,
      split TEXT NOT NULL CHECK (split IN ('train', 'val')),
      loss REAL NOT NULL,
      pck REAL,
      images_per_second REAL,
      at INTEGER NOT NULL
    );
    CREATE INDEX metrics_run ON metrics(run_id, iteration);
    CREATE TABLE prediction_sets (
      id INTEGER PRIMARY KEY,
      run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
      model_path TEXT NOT NULL,
      source TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE predictions (
      id INTEGER PRIMARY KEY,
      set_id INTEGER NOT NULL REFERENCES prediction_sets(id) ON DELETE CASCADE,
      image_path TEXT NOT NULL,
      image_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
      joints TEXT NOT NULL       -- JSON [x, y, score][] in image pixels
    );
    CREATE INDEX predictions_set ON predictions(set_id);
    CREATE INDEX predictions_image ON predictions(image_id);
  `,
};
