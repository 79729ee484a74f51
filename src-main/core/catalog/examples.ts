// What training and evaluation read: one example per instance with at least one labeled joint.
import type { Split } from '../../../src-shared/domain/image';
import type { Box } from '../../../src-shared/domain/image';
import type { Visibility } from '../../../src-shared/domain/keypoint';
import type { Catalog } from './open-catalog';

export interface Example {
  imageId: number;
  imagePath: string;
  width: number;
  height: number;
  instanceId: number;
  box: Box | null;
  /** [x, y, visibility] per joint, in joint order. */
  joints: [number, number, Visibility][];
}

export function listExamples(catalog: Catalog, split?: Split): Example[] {
  const rows = catalog.db
    .prepare(
      `SELECT i.id AS image_id, i.path, i.width, i.height, n.id AS instance_id, n.box_x, n.box_y, n.box_w, n.box_h,
              k.joint, k.x, k.y, k.visibility
       FROM images i JOIN instances n ON n.image_id = i.id JOIN keypoints k ON k.instance_id = n.id
       WHERE (@split IS NULL OR i.split = @split)
         AND EXISTS (SELECT 1 FROM keypoints l WHERE l.instance_id = n.id AND l.visibility > 0)
       ORDER BY i.id, n.id, k.joint`,
    )
    .all({ split: split ?? null }) as Array<{
    image_id: number;
    path: string;
    width: number;
    height: number;
    instance_id: number;
    box_x: number | null;
    box_y: number | null;
    box_w: number | null;
    box_h: number | null;
    joint: number;
    x: number;
    y: number;
    visibility: Visibility;
  }>;
  const examples: Example[] = [];
  for (const row of rows) {
    let last = examples.at(-1);
    if (!last || last.instanceId !== row.instance_id) {
      last = {
        imageId: row.image_id,
        imagePath: row.path,
        width: row.width,
        height: row.height,
        instanceId: row.instance_id,
        box: row.box_x === null ? null : [row.box_x, row.box_y ?? 0, row.box_w ?? 0, row.box_h ?? 0],
        joints: [],
      };
      examples.push(last);
    }
    last.joints.push([row.x, row.y, row.visibility]);
  }
  return examples;
}
