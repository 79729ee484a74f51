// People in an image and their keypoints. Every instance holds one keypoint row per joint of
// the project's skeleton, so the UI and training never meet a missing joint.
import type { Statement } from 'better-sqlite3';
import { StudioError } from '../../../src-shared/api/define';
import type { Box, Instance } from '../../../src-shared/domain/image';
import {
  roundCoordinate,
  type AbsentReason,
  type KeypointInput,
  type KeypointSource,
  type Visibility,
} from '../../../src-shared/domain/keypoint';
import type { Catalog } from './open-catalog';
import { readProject } from './project-info';

interface InstanceRow {
  id: number;
  image_id: number;
  box_x: number | null;
  box_y: number | null;
  box_w: number | null;
  box_h: number | null;
}
interface KeypointRow {
  instance_id: number;
  joint: number;
  x: number;
  y: number;
  visibility: Visibility;
  absent: AbsentReason | null;
  source: KeypointSource;
  run_id: string | null;
}

function assemble(rows: InstanceRow[], keypoints: KeypointRow[]): Instance[] {
  const byInstance = new Map<number, Instance>();
  const instances = rows.map((row) => {
    const box: Box | null = row.box_x === null ? null : [row.box_x, row.box_y ?? 0, row.box_w ?? 0, row.box_h ?? 0];
    const instance: Instance = { id: row.id, imageId: row.image_id, box, keypoints: [] };
    byInstance.set(row.id, instance);
    return instance;
  });
  for (const k of keypoints) {
    byInstance.get(k.instance_id)?.keypoints.push({
      joint: k.joint,
      x: k.x,
      y: k.y,
      visibility: k.visibility,
      absent: k.absent,
      source: k.source,
      runId: k.run_id,
    });
  }
  return instances;
}

export function instancesOfImage(catalog: Catalog, imageId: number): Instance[] {
  const rows = catalog.db
    .prepare('SELECT * FROM instances WHERE image_id = ? ORDER BY id')
    .all(imageId) as InstanceRow[];
  const keypoints = catalog.db
    .prepare(
      'SELECT k.* FROM keypoints k JOIN instances n ON n.id = k.instance_id WHERE n.image_id = ? ORDER BY k.instance_id, k.joint',
    )
    .all(imageId) as KeypointRow[];
  return assemble(rows, keypoints);
}

export function getInstance(catalog: Catalog, instanceId: number): Instance {
  const row = catalog.db.prepare('SELECT * FROM instances WHERE id = ?').get(instanceId) as InstanceRow | undefined;
  if (!row) throw new StudioError('not-found', `no instance with id ${instanceId} in ${catalog.dir}`);
  const keypoints = catalog.db
    .prepare('SELECT * FROM keypoints WHERE instance_id = ? ORDER BY joint')
    .all(instanceId) as KeypointRow[];
  return assemble([row], keypoints)[0];
}

export interface NewKeypoint {
  x: number;
  y: number;
  visibility: Visibility;
}

/** Inserts an instance with one keypoint per joint (callers run it inside their transaction). */
export function insertInstance(
  catalog: Catalog,
  imageId: number,
  box: Box | null,
  keypoints: NewKeypoint[],
  source: KeypointSource = 'human',
  runId: string | null = null,
): number {
  const statements = insertStatements(catalog);
  const result = statements.instance.run(
    imageId,
    box?.[0] ?? null,
    box?.[1] ?? null,
    box?.[2] ?? null,
    box?.[3] ?? null,
    Date.now(),
  );
  const instanceId = Number(result.lastInsertRowid);
  keypoints.forEach((k, joint) => statements.keypoint.run(instanceId, joint, k.x, k.y, k.visibility, source, runId));
  return instanceId;
}

// Large imports insert many instances: prepare their statements once per catalog.
const prepared = new WeakMap<Catalog, { instance: Statement; keypoint: Statement }>();
function insertStatements(catalog: Catalog) {
  let statements = prepared.get(catalog);
  if (!statements) {
    statements = {
      instance: catalog.db.prepare(
        'INSERT INTO instances (image_id, box_x, box_y, box_w, box_h, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      keypoint: catalog.db.prepare(
        'INSERT INTO keypoints (instance_id, joint, x, y, visibility, source, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    prepared.set(catalog, statements);
  }
  return statements;
}

export function createInstance(catalog: Catalog, imageId: number): Instance {
  const joints = readProject(catalog).skeleton.joints.length;
  const exists = catalog.db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId);
  if (!exists) throw new StudioError('not-found', `no image with id ${imageId} in ${catalog.dir}`);
  const id = catalog.db.transaction(() =>
    insertInstance(
      catalog,
      imageId,
      null,
      Array.from({ length: joints }, () => ({ x: 0, y: 0, visibility: 0 as const })),
    ),
  )();
  return getInstance(catalog, id);
}

export function deleteInstance(catalog: Catalog, instanceId: number): { deleted: true } {
  const result = catalog.db.prepare('DELETE FROM instances WHERE id = ?').run(instanceId);
  if (result.changes === 0) throw new StudioError('not-found', `no instance with id ${instanceId} in ${catalog.dir}`);
  return { deleted: true };
}

/**
 * Replaces the given joints of an instance as a person's labels (source 'human'). Joints not
 * sent keep their values, so a retried or partial autosave never loses anything.
 */
export function saveKeypoints(catalog: Catalog, instanceId: number, keypoints: KeypointInput[]): Instance {
  const joints = readProject(catalog).skeleton.joints.length;
  for (const k of keypoints) {
    if (k.joint >= joints)
      throw new StudioError('invalid-argument', `joint ${k.joint} does not exist: the skeleton has ${joints} joints`);
  }
  getInstance(catalog, instanceId);
  const upsert = catalog.db.prepare(
    `INSERT INTO keypoints (instance_id, joint, x, y, visibility, absent, source, run_id) VALUES (?, ?, ?, ?, ?, ?, 'human', NULL)
     ON CONFLICT (instance_id, joint) DO UPDATE SET x = excluded.x, y = excluded.y, visibility = excluded.visibility, absent = excluded.absent, source = 'human', run_id = NULL`,
  );
  catalog.db.transaction(() => {
    // An absent joint has no position: it is stored at (0, 0), as COCO writes v = 0.
    for (const k of keypoints) {
      const absent = k.visibility === 0 ? (k.absent ?? null) : null;
      upsert.run(
        instanceId,
        k.joint,
        absent ? 0 : roundCoordinate(k.x),
        absent ? 0 : roundCoordinate(k.y),
        k.visibility,
        absent,
      );
    }
  })();
  return getInstance(catalog, instanceId);
}

/** A box cut to the image [0, width] × [0, height]; null when nothing of it lies inside. */
export function clipBox(box: Box, width: number, height: number): Box | null {
  const x0 = Math.max(0, box[0]);
  const y0 = Math.max(0, box[1]);
  const x1 = Math.min(width, box[0] + box[2]);
  const y1 = Math.min(height, box[1] + box[3]);
  return x1 > x0 && y1 > y0 ? [x0, y0, x1 - x0, y1 - y0] : null;
}

/**
 * Sets or clears (null) a person's box, the region training and prediction crop around. The
 * box is clipped to the image: a crop never reaches past the pixels the person is in.
 */
export function setInstanceBox(catalog: Catalog, instanceId: number, box: Box | null): Instance {
  const row = catalog.db
    .prepare('SELECT i.width, i.height FROM instances n JOIN images i ON i.id = n.image_id WHERE n.id = ?')
    .get(instanceId) as { width: number; height: number } | undefined;
  if (!row) throw new StudioError('not-found', `no instance with id ${instanceId} in ${catalog.dir}`);
  let stored: Box | null = null;
  if (box) {
    if (!box.every(Number.isFinite) || box[2] <= 0 || box[3] <= 0) {
      throw new StudioError(
        'invalid-argument',
        `a person box needs a positive width and height, got ${box.join(', ')}`,
      );
    }
    stored = clipBox(box, row.width, row.height);
    if (!stored)
      throw new StudioError(
        'invalid-argument',
        `the box ${box.join(', ')} lies outside the ${row.width}×${row.height} image`,
      );
  }
  catalog.db.transaction(() => {
    catalog.db
      .prepare('UPDATE instances SET box_x = ?, box_y = ?, box_w = ?, box_h = ? WHERE id = ?')
      .run(stored?.[0] ?? null, stored?.[1] ?? null, stored?.[2] ?? null, stored?.[3] ?? null, instanceId);
  })();
  return getInstance(catalog, instanceId);
}
