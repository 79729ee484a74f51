// The project row of a catalog (its name and skeleton) and the summary shown on the home screen.
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import type { Skeleton } from '../../../src-shared/domain/skeleton';
import type { ProjectSummary } from '../../../src-shared/domain/project';
import { Skeleton as SkeletonSchema } from '../../../src-shared/domain/skeleton';
import { openCatalog, catalogExists, type Catalog } from './open-catalog';

/** Edges and flip pairs must name joints that exist, or drawing and flipping would go wrong. */
export function validateSkeleton(skeleton: Skeleton): Skeleton {
  const parsed = SkeletonSchema.parse(skeleton);
  const n = parsed.joints.length;
  for (const [a, b] of [...parsed.edges, ...parsed.flipPairs]) {
    if (a >= n || b >= n)
      throw new StudioError(
        'invalid-argument',
        `skeleton '${parsed.name}': joint index ${Math.max(a, b)} is out of range (it has ${n} joints)`,
      );
  }
  const seen = new Set<string>();
  for (const joint of parsed.joints) {
    if (seen.has(joint))
      throw new StudioError('invalid-argument', `skeleton '${parsed.name}': joint '${joint}' is listed twice`);
    seen.add(joint);
  }
  return parsed;
}

/** Creates the catalog of a new project in `dir` (made if missing); refuses a folder that already holds one. */
export function createProject(dir: string, name: string, skeleton: Skeleton): Catalog {
  if (catalogExists(dir)) throw new StudioError('conflict', `${dir} already holds a project`);
  const valid = validateSkeleton(skeleton);
  mkdirSync(dir, { recursive: true });
  const catalog = openCatalog(dir, { create: true });
  catalog.db.transaction(() => {
    const skeletonId = insertSkeleton(catalog, valid);
    catalog.db
      .prepare('INSERT INTO project (id, name, skeleton_id, created_at) VALUES (1, ?, ?, ?)')
      .run(name, skeletonId, Date.now());
  })();
  return catalog;
}

function insertSkeleton(catalog: Catalog, skeleton: Skeleton): number {
  const result = catalog.db
    .prepare('INSERT INTO skeletons (name, joints, edges, flip_pairs) VALUES (?, ?, ?, ?)')
    .run(
      skeleton.name,
      JSON.stringify(skeleton.joints),
      JSON.stringify(skeleton.edges),
      JSON.stringify(skeleton.flipPairs),
    );
  return Number(result.lastInsertRowid);
}

/** Replaces the project's skeleton (only sensible while it has no images; callers check). */
export function replaceSkeleton(catalog: Catalog, skeleton: Skeleton): void {
  const valid = validateSkeleton(skeleton);
  const skeletonId = insertSkeleton(catalog, valid);
  catalog.db.prepare('UPDATE project SET skeleton_id = ? WHERE id = 1').run(skeletonId);
}

export function readProject(catalog: Catalog): { name: string; skeleton: Skeleton } {
  const row = catalog.db
    .prepare(
      'SELECT p.name AS project, s.name, s.joints, s.edges, s.flip_pairs FROM project p JOIN skeletons s ON s.id = p.skeleton_id WHERE p.id = 1',
    )
    .get() as { project: string; name: string; joints: string; edges: string; flip_pairs: string } | undefined;
  if (!row) throw new StudioError('bad-input', `${catalog.dir}: the catalog has no project row`);
  return {
    name: row.project,
    skeleton: {
      name: row.name,
      joints: JSON.parse(row.joints),
      edges: JSON.parse(row.edges),
      flipPairs: JSON.parse(row.flip_pairs),
    },
  };
}

export function projectSummary(catalog: Catalog): ProjectSummary {
  const { name, skeleton } = readProject(catalog);
  const db = catalog.db;
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const perSplit = { train: 0, val: 0, test: 0 };
  for (const row of db.prepare('SELECT split, COUNT(*) AS n FROM images GROUP BY split').all() as Array<{
    split: keyof typeof perSplit;
    n: number;
  }>) {
    perSplit[row.split] = row.n;
  }
  return {
    path: catalog.dir,
    name: name || basename(catalog.dir),
    skeleton,
    imageCount: count('SELECT COUNT(*) AS n FROM images'),
    instanceCount: count('SELECT COUNT(*) AS n FROM instances'),
    labeledKeypoints: count('SELECT COUNT(*) AS n FROM keypoints WHERE visibility > 0'),
    perSplit,
  };
}
