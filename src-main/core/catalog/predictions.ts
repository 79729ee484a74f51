// Model predictions over images (in the catalog or any folder), and accepting one into the
// dataset as model-sourced keypoints that a person may then correct.
import { StudioError } from '../../../src-shared/api/define';
import type { Instance } from '../../../src-shared/domain/image';
import { NO_PROXIES, type ConfidenceProxies } from '../../../src-shared/domain/confidence';
import type { Catalog } from './open-catalog';
import { getInstance, insertInstance } from './instances';
import { readProject } from './project-info';
import type { DenseWeights } from '../../../src-shared/training/protocol';
import { roundCoordinate } from '../../../src-shared/domain/keypoint';

export interface PredictionSet {
  id: number;
  runId: string | null;
  modelPath: string;
  source: string;
  createdAt: number;
  denseWeights: DenseWeights;
}

export interface PredictionRow {
  imagePath: string;
  imageId: number | null;
  /** [x, y, score] per joint in image pixels. */
  joints: [number, number, number][];
  /** The image's size as it was predicted (EXIF orientation applied); null for sets from before it was kept. */
  width: number | null;
  height: number | null;
  /** Absent (stored as NULL) for rows predicted without them. */
  confidence?: ConfidenceProxies;
}

export interface Prediction extends PredictionRow {
  id: number;
  setId: number;
  /** All null for rows predicted before the proxies existed. */
  confidence: ConfidenceProxies;
}

export function createPredictionSet(
  catalog: Catalog,
  input: { runId: string | null; modelPath: string; source: string; denseWeights?: DenseWeights },
): PredictionSet {
  const createdAt = Date.now();
  const denseWeights = input.denseWeights ?? 'float32';
  const result = catalog.db
    .prepare(
      'INSERT INTO prediction_sets (run_id, model_path, source, created_at, dense_weights) VALUES (?, ?, ?, ?, ?)',
    )
    .run(input.runId, input.modelPath, input.source, createdAt, denseWeights);
  return { id: Number(result.lastInsertRowid), ...input, createdAt, denseWeights };
}

/** Rows without an imageId are linked to a catalog image with the same path when there is one. */
export function addPredictions(catalog: Catalog, setId: number, rows: PredictionRow[]): void {
  const findImage = catalog.db.prepare('SELECT id FROM images WHERE path = ?');
  const insert = catalog.db.prepare(
    `INSERT INTO predictions (set_id, image_path, image_id, joints, width, height, flip_disagreement, flip_per_joint, last_correction, correction_per_joint)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const json = (values: number[] | null) => (values === null ? null : JSON.stringify(values));
  catalog.db.transaction(() => {
    for (const row of rows) {
      const imageId = row.imageId ?? (findImage.get(row.imagePath) as { id: number } | undefined)?.id ?? null;
      const c = row.confidence ?? NO_PROXIES;
      insert.run(
        setId,
        row.imagePath,
        imageId,
        JSON.stringify(row.joints),
        row.width,
        row.height,
        c.flip,
        json(c.flipPerJoint),
        c.correction,
        json(c.correctionPerJoint),
      );
    }
  })();
}

/** What ran the set's job (backend, how its dense weights were read) and its inference time per image (mean and standard deviation). */
export function recordPredictionTiming(
  catalog: Catalog,
  setId: number,
  ran: { backend: string; denseWeights: DenseWeights },
  msPerImage: { mean: number; std: number } | null,
): void {
  catalog.db
    .prepare('UPDATE prediction_sets SET backend = ?, dense_weights = ?, ms_mean = ?, ms_std = ? WHERE id = ?')
    .run(ran.backend, ran.denseWeights, msPerImage?.mean ?? null, msPerImage?.std ?? null, setId);
}

export function listPredictions(catalog: Catalog, setId: number): Prediction[] {
  return (
    catalog.db.prepare('SELECT * FROM predictions WHERE set_id = ? ORDER BY id').all(setId) as Array<{
      id: number;
      set_id: number;
      image_path: string;
      image_id: number | null;
      joints: string;
      width: number | null;
      height: number | null;
      flip_disagreement: number | null;
      flip_per_joint: string | null;
      last_correction: number | null;
      correction_per_joint: string | null;
    }>
  ).map((r) => ({
    id: r.id,
    setId: r.set_id,
    imagePath: r.image_path,
    imageId: r.image_id,
    joints: JSON.parse(r.joints),
    width: r.width,
    height: r.height,
    confidence: {
      ...NO_PROXIES,
      flip: r.flip_disagreement,
      flipPerJoint: r.flip_per_joint === null ? null : JSON.parse(r.flip_per_joint),
      correction: r.last_correction,
      correctionPerJoint: r.correction_per_joint === null ? null : JSON.parse(r.correction_per_joint),
    },
  }));
}

/**
 * Writes a prediction into the dataset with source 'model' and the set's run: into
 * `instanceId` when given (replacing its keypoints), else as a new instance of its image.
 * Joints whose score is below `minScore` stay unlabeled.
 */
export function acceptPrediction(
  catalog: Catalog,
  input: { predictionId: number; instanceId?: number; minScore?: number },
): Instance {
  const row = catalog.db
    .prepare(
      'SELECT p.image_id, p.image_path, p.joints, s.run_id FROM predictions p JOIN prediction_sets s ON s.id = p.set_id WHERE p.id = ?',
    )
    .get(input.predictionId) as
    { image_id: number | null; image_path: string; joints: string; run_id: string | null } | undefined;
  if (!row) throw new StudioError('not-found', `no prediction with id ${input.predictionId}`);
  if (row.image_id === null)
    throw new StudioError(
      'conflict',
      `${row.image_path} is not in the catalog yet: import it before accepting its prediction`,
    );
  const joints = JSON.parse(row.joints) as [number, number, number][];
  const expected = readProject(catalog).skeleton.joints.length;
  if (joints.length !== expected)
    throw new StudioError(
      'conflict',
      `prediction ${input.predictionId} has ${joints.length} joints, the skeleton ${expected}`,
    );
  const keypoints = joints.map(([x, y, score]) => ({
    x: roundCoordinate(x),
    y: roundCoordinate(y),
    visibility: score >= (input.minScore ?? 0) ? (2 as const) : (0 as const),
  }));
  const imageId = row.image_id;
  const instanceId = catalog.db.transaction(() => {
    if (input.instanceId === undefined) return insertInstance(catalog, imageId, null, keypoints, 'model', row.run_id);
    const owner = catalog.db.prepare('SELECT image_id FROM instances WHERE id = ?').get(input.instanceId) as
      { image_id: number } | undefined;
    if (!owner || owner.image_id !== imageId)
      throw new StudioError('not-found', `instance ${input.instanceId} is not on image ${imageId}`);
    const update = catalog.db.prepare(
      "UPDATE keypoints SET x = ?, y = ?, visibility = ?, absent = NULL, source = 'model', run_id = ? WHERE instance_id = ? AND joint = ?",
    );
    keypoints.forEach((k, joint) => update.run(k.x, k.y, k.visibility, row.run_id, input.instanceId, joint));
    return input.instanceId;
  })();
  return getInstance(catalog, instanceId);
}
