// The write half of an import: every prepared record into the catalog in ONE transaction
// (an import lands whole or not at all). Kept apart so a large import can run it on a
// thread with its own connection (import-write-thread.ts): the transaction is synchronous,
// and on the studio's own event loop a 2,000-image import held every other call for
// 150-200 ms. WAL lets the studio keep reading meanwhile; its writes wait for the commit.
import type { Box } from '../../../src-shared/domain/image';
import type { Skeleton } from '../../../src-shared/domain/skeleton';
import type { Visibility } from '../../../src-shared/domain/keypoint';
import type { ProbedImage } from '../media/ingest';
import type { Catalog } from './open-catalog';
import { insertInstance, type NewKeypoint } from './instances';
import { replaceSkeleton } from './project-info';

export interface ReadyInstance {
  box: Box | null;
  keypoints: NewKeypoint[];
}
export interface ReadyRecord {
  image: ProbedImage;
  instances: ReadyInstance[];
}

/** Everything the write needs, as plain data (it crosses to a thread). */
export interface ImportPlan {
  ready: ReadyRecord[];
  /** sha256 → where the image was copied, for imports that copy images. */
  storedPath: Map<string, string>;
  /** A skeleton the project adopts (a COCO category on a project without images), or null. */
  skeleton: Skeleton | null;
}

export interface ImportCounts {
  imagesAdded: number;
  imagesAlreadyPresent: number;
  instancesAdded: number;
  instancesAlreadyPresent: number;
  instancesReplaced: number;
  keypointsAdded: number;
}

/** What an import knows of an image it writes to. */
interface ImageState {
  /** Box and keypoints of every person on it, so importing the same data again adds nothing. */
  seen: Set<string>;
  /**
   * The image's only person, there before this import: the one a single unboxed new person (a
   * list's line) replaces. Boxed or not: the workspace's box tool gives a hand-labeled person a
   * box, and a list never carries one, so a box says nothing about whether it is the same person.
   */
  replaceable: number | null;
}

function signature(box: Box | null, keypoints: NewKeypoint[]): string {
  return JSON.stringify([box, keypoints.map((k) => [k.x, k.y, k.visibility])]);
}

/** Writes the plan; `checkpoint` is called every 256 records and may throw to cancel (the transaction rolls back). */
export function writeImport(
  catalog: Catalog,
  plan: ImportPlan,
  checkpoint: (done: number, total: number) => void,
): ImportCounts {
  const counts: ImportCounts = {
    imagesAdded: 0,
    imagesAlreadyPresent: 0,
    instancesAdded: 0,
    instancesAlreadyPresent: 0,
    instancesReplaced: 0,
    keypointsAdded: 0,
  };
  const db = catalog.db;
  const findImage = db.prepare('SELECT id FROM images WHERE sha256 = ?');
  const addImage = db.prepare('INSERT INTO images (path, sha256, width, height, added_at) VALUES (?, ?, ?, ?, ?)');
  const existingInstances = db.prepare(
    'SELECT n.id, n.box_x, n.box_y, n.box_w, n.box_h, k.x, k.y, k.visibility FROM instances n JOIN keypoints k ON k.instance_id = n.id WHERE n.image_id = ? ORDER BY n.id, k.joint',
  );
  const onImage = new Map<number, ImageState>();
  const stateOf = (imageId: number): ImageState => {
    let state = onImage.get(imageId);
    if (state) return state;
    const rows = existingInstances.all(imageId) as Array<{
      id: number;
      box_x: number | null;
      box_y: number;
      box_w: number;
      box_h: number;
      x: number;
      y: number;
      visibility: Visibility;
    }>;
    const grouped = new Map<number, { box: Box | null; keypoints: NewKeypoint[] }>();
    for (const r of rows) {
      let g = grouped.get(r.id);
      if (!g)
        grouped.set(r.id, (g = { box: r.box_x === null ? null : [r.box_x, r.box_y, r.box_w, r.box_h], keypoints: [] }));
      g.keypoints.push({ x: r.x, y: r.y, visibility: r.visibility });
    }
    const people = [...grouped.entries()];
    state = {
      seen: new Set(people.map(([, g]) => signature(g.box, g.keypoints))),
      replaceable: people.length === 1 ? people[0][0] : null,
    };
    onImage.set(imageId, state);
    return state;
  };
  const replaceKeypoints = db.prepare(
    "UPDATE keypoints SET x = ?, y = ?, visibility = ?, absent = NULL, source = 'human', run_id = NULL WHERE instance_id = ? AND joint = ?",
  );

  const total = plan.ready.length;
  db.transaction(() => {
    if (plan.skeleton) replaceSkeleton(catalog, plan.skeleton);
    const now = Date.now();
    plan.ready.forEach((record, i) => {
      if (i % 256 === 0) checkpoint(i, total);
      const { image } = record;
      let imageId = (findImage.get(image.sha256) as { id: number } | undefined)?.id;
      if (imageId === undefined) {
        imageId = Number(
          addImage.run(plan.storedPath.get(image.sha256) ?? image.path, image.sha256, image.width, image.height, now)
            .lastInsertRowid,
        );
        onImage.set(imageId, { seen: new Set(), replaceable: null });
        counts.imagesAdded++;
      } else if (!onImage.has(imageId)) {
        counts.imagesAlreadyPresent++;
      }
      const state = stateOf(imageId);
      for (const instance of record.instances) {
        const key = signature(instance.box, instance.keypoints);
        if (state.seen.has(key)) {
          counts.instancesAlreadyPresent++;
          continue;
        }
        state.seen.add(key);
        counts.keypointsAdded += instance.keypoints.filter((k) => k.visibility > 0).length;
        // One person labeled by hand and one unboxed person in the data: the same person, newly labeled (keeping their box).
        if (state.replaceable !== null && instance.box === null && record.instances.length === 1) {
          const target = state.replaceable;
          instance.keypoints.forEach((k, joint) => replaceKeypoints.run(k.x, k.y, k.visibility, target, joint));
          state.replaceable = null;
          counts.instancesReplaced++;
          continue;
        }
        state.replaceable = null;
        insertInstance(catalog, imageId, instance.box, instance.keypoints);
        counts.instancesAdded++;
      }
    });
  })();
  return counts;
}
