// Suggested people in the catalog, apart from labels (migration 7): stored per image, listed
// back, accepted into a labeled instance (all placed joints or some) or dismissed. Nothing here
// touches instances or keypoints except accepting, so training, validation and exports see
// accepted labels only.
import { StudioError } from '../../../src-shared/api/define';
import type { SuggestedJoint, SuggestedPerson } from '../../../src-shared/domain/suggestion';
import type { Catalog } from './open-catalog';
import { readProject } from './project-info';
import { insertInstance } from './instances';

export interface StoredSuggestion extends SuggestedPerson {
  id: number;
  imageId: number;
  suggester: string;
}

interface SuggestionRow {
  id: number;
  image_id: number;
  suggester: string;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  score: number;
}

const clampScore = (s: number) => Math.min(1, Math.max(0, s));

/** Replaces an image's suggestions from `suggester` with `persons` (a new suggest run supersedes the last). */
export function storeSuggestions(
  catalog: Catalog,
  imageId: number,
  suggester: string,
  persons: SuggestedPerson[],
): StoredSuggestion[] {
  const jointCount = readProject(catalog).skeleton.joints.length;
  if (!catalog.db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId))
    throw new StudioError('not-found', `no image with id ${imageId} in ${catalog.dir}`);
  const insertPerson = catalog.db.prepare(
    'INSERT INTO suggestions (image_id, suggester, box_x, box_y, box_w, box_h, score, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertJoint = catalog.db.prepare(
    'INSERT INTO suggested_joints (suggestion_id, joint, x, y, score) VALUES (?, ?, ?, ?, ?)',
  );
  catalog.db.transaction(() => {
    catalog.db.prepare('DELETE FROM suggestions WHERE image_id = ? AND suggester = ?').run(imageId, suggester);
    for (const person of persons) {
      if (person.joints.length !== jointCount)
        throw new StudioError(
          'conflict',
          `the suggester gave ${person.joints.length} joints, the project's skeleton has ${jointCount}`,
        );
      const id = Number(
        insertPerson.run(imageId, suggester, ...person.box, clampScore(person.score), Date.now()).lastInsertRowid,
      );
      person.joints.forEach((j, joint) => {
        if (j) insertJoint.run(id, joint, j.x, j.y, clampScore(j.score));
      });
    }
  })();
  return suggestionsOfImage(catalog, imageId);
}

function assemble(catalog: Catalog, rows: SuggestionRow[]): StoredSuggestion[] {
  const jointCount = readProject(catalog).skeleton.joints.length;
  const joints = catalog.db.prepare('SELECT joint, x, y, score FROM suggested_joints WHERE suggestion_id = ?');
  return rows.map((row) => {
    const placed: (SuggestedJoint | null)[] = Array.from({ length: jointCount }, () => null);
    for (const j of joints.all(row.id) as { joint: number; x: number; y: number; score: number }[])
      if (j.joint < jointCount) placed[j.joint] = { x: j.x, y: j.y, score: j.score };
    return {
      id: row.id,
      imageId: row.image_id,
      suggester: row.suggester,
      box: [row.box_x, row.box_y, row.box_w, row.box_h],
      score: row.score,
      joints: placed,
    };
  });
}

export function suggestionsOfImage(catalog: Catalog, imageId: number): StoredSuggestion[] {
  return assemble(
    catalog,
    catalog.db
      .prepare('SELECT * FROM suggestions WHERE image_id = ? ORDER BY score DESC, id')
      .all(imageId) as SuggestionRow[],
  );
}

function getSuggestion(catalog: Catalog, id: number): StoredSuggestion {
  const row = catalog.db.prepare('SELECT * FROM suggestions WHERE id = ?').get(id) as SuggestionRow | undefined;
  if (!row) throw new StudioError('not-found', `no suggestion with id ${id} in ${catalog.dir}`);
  return assemble(catalog, [row])[0];
}

/**
 * Makes a suggestion a labeled person: a new instance with its box and the placed joints
 * (visible, source 'model'); unplaced joints stay unlabeled. The suggestion is removed.
 */
export function acceptSuggestion(catalog: Catalog, id: number): { imageId: number; instanceId: number } {
  const suggestion = getSuggestion(catalog, id);
  const instanceId = catalog.db.transaction(() => {
    const keypoints = suggestion.joints.map((j) =>
      j ? { x: j.x, y: j.y, visibility: 2 as const } : { x: 0, y: 0, visibility: 0 as const },
    );
    const made = insertInstance(catalog, suggestion.imageId, suggestion.box, keypoints, 'model');
    catalog.db.prepare('DELETE FROM suggestions WHERE id = ?').run(id);
    return made;
  })();
  return { imageId: suggestion.imageId, instanceId };
}

export function dismissSuggestion(catalog: Catalog, id: number): { dismissed: true } {
  if (catalog.db.prepare('DELETE FROM suggestions WHERE id = ?').run(id).changes === 0)
    throw new StudioError('not-found', `no suggestion with id ${id} in ${catalog.dir}`);
  return { dismissed: true };
}

/** Images with no labeled joint yet: what pre-labeling works on. */
export function unlabeledImages(catalog: Catalog): { id: number; path: string }[] {
  return catalog.db
    .prepare(
      'SELECT i.id, i.path FROM images i WHERE NOT EXISTS (SELECT 1 FROM instances n JOIN keypoints k ON k.instance_id = n.id WHERE n.image_id = i.id AND k.visibility > 0) ORDER BY i.id',
    )
    .all() as { id: number; path: string }[];
}

/**
 * Images with suggestions, least confident first (the lowest mean joint score among their
 * suggested people), so a reviewer sees the worst first.
 */
export function suggestionQueue(
  catalog: Catalog,
): { imageId: number; path: string; people: number; confidence: number }[] {
  return catalog.db
    .prepare(
      `SELECT s.image_id AS imageId, i.path AS path, COUNT(DISTINCT s.id) AS people,
              MIN((SELECT COALESCE(AVG(j.score), 0) FROM suggested_joints j WHERE j.suggestion_id = s.id)) AS confidence
       FROM suggestions s JOIN images i ON i.id = s.image_id GROUP BY s.image_id ORDER BY confidence ASC, s.image_id`,
    )
    .all() as { imageId: number; path: string; people: number; confidence: number }[];
}
