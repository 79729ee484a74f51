// Reading and filing images: pages of summaries, one image with its instances, split moves.
import { basename } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import type { ImageSummary, LabelStatus, Split } from '../../../src-shared/domain/image';
import type { Catalog } from './open-catalog';
import { readProject } from './project-info';
import { instancesOfImage } from './instances';
import type { Instance } from '../../../src-shared/domain/image';

export interface ImageQuery {
  split?: Split;
  status?: LabelStatus;
  search?: string;
  hasPredictions?: boolean;
  offset?: number;
  limit?: number;
}

// Status per image: no labeled joint = unlabeled; every joint of every instance labeled (placed,
// or marked absent: the person looked and it is not in the picture) = labeled.
const SUMMARIES = `
  WITH counted AS (
    SELECT i.id, i.path, i.width, i.height, i.split,
      (SELECT COUNT(*) FROM instances n WHERE n.image_id = i.id) AS instance_count,
      (SELECT COUNT(*) FROM instances n JOIN keypoints k ON k.instance_id = n.id WHERE n.image_id = i.id AND (k.visibility > 0 OR k.absent IS NOT NULL)) AS labeled,
      EXISTS (SELECT 1 FROM predictions p WHERE p.image_id = i.id) AS has_predictions
    FROM images i
  )
  SELECT *, CASE WHEN labeled = 0 THEN 'unlabeled' WHEN labeled >= instance_count * @joints THEN 'labeled' ELSE 'partial' END AS status
  FROM counted`;

interface SummaryRow {
  id: number;
  path: string;
  width: number;
  height: number;
  split: Split;
  instance_count: number;
  labeled: number;
  has_predictions: number;
  status: LabelStatus;
}

function toSummary(row: SummaryRow): ImageSummary {
  return {
    id: row.id,
    path: row.path,
    fileName: basename(row.path),
    width: row.width,
    height: row.height,
    split: row.split,
    status: row.status,
    labeledJoints: row.labeled,
    instanceCount: row.instance_count,
    hasPredictions: row.has_predictions === 1,
  };
}

export function listImages(catalog: Catalog, query: ImageQuery = {}): { total: number; items: ImageSummary[] } {
  const joints = readProject(catalog).skeleton.joints.length;
  const where: string[] = [];
  const params: Record<string, unknown> = { joints };
  if (query.split) {
    where.push('split = @split');
    params.split = query.split;
  }
  if (query.status) {
    where.push('status = @status');
    params.status = query.status;
  }
  if (query.hasPredictions !== undefined) {
    where.push('has_predictions = @hasPredictions');
    params.hasPredictions = query.hasPredictions ? 1 : 0;
  }
  if (query.search) {
    where.push("path LIKE @search ESCAPE '\\'");
    params.search = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const filtered = `SELECT * FROM (${SUMMARIES}) ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const total = (catalog.db.prepare(`SELECT COUNT(*) AS n FROM (${filtered})`).get(params) as { n: number }).n;
  const rows = catalog.db
    .prepare(`${filtered} ORDER BY id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: query.limit ?? 200, offset: query.offset ?? 0 }) as SummaryRow[];
  return { total, items: rows.map(toSummary) };
}

/**
 * The first image after `afterId` in grid order (by id), wrapping around, whose status is not
 * 'labeled'; null when every other image is. `afterId` itself is never the answer.
 */
export function nextUnlabeledImage(catalog: Catalog, afterId: number): number | null {
  const joints = readProject(catalog).skeleton.joints.length;
  const row = catalog.db
    .prepare(
      `SELECT id FROM (${SUMMARIES}) WHERE status <> 'labeled' AND id <> @afterId ORDER BY id <= @afterId, id LIMIT 1`,
    )
    .get({ joints, afterId }) as { id: number } | undefined;
  return row?.id ?? null;
}

export function imageSummary(catalog: Catalog, imageId: number): ImageSummary {
  const joints = readProject(catalog).skeleton.joints.length;
  const row = catalog.db.prepare(`SELECT * FROM (${SUMMARIES}) WHERE id = @id`).get({ joints, id: imageId }) as
    SummaryRow | undefined;
  if (!row) throw new StudioError('not-found', `no image with id ${imageId} in ${catalog.dir}`);
  return toSummary(row);
}

export function getImage(catalog: Catalog, imageId: number): { image: ImageSummary; instances: Instance[] } {
  return { image: imageSummary(catalog, imageId), instances: instancesOfImage(catalog, imageId) };
}

export function setSplit(catalog: Catalog, imageIds: number[], split: Split): { updated: number } {
  const update = catalog.db.prepare('UPDATE images SET split = ? WHERE id = ?');
  let updated = 0;
  catalog.db.transaction(() => {
    for (const id of imageIds) updated += update.run(split, id).changes;
  })();
  return { updated };
}

/** Folders that hold the catalog's images (added to the allowed roots when a project opens). */
export function imageFolders(catalog: Catalog): string[] {
  const rows = catalog.db.prepare('SELECT path FROM images').all() as Array<{ path: string }>;
  return [...new Set(rows.map((r) => r.path.slice(0, r.path.length - basename(r.path).length - 1)))];
}
