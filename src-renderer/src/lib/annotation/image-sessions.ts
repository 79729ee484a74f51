// Undo histories live for the whole session, per image, so leaving an image and coming back
// keeps its undo steps (and shows edits still waiting to be written). When the catalog holds
// other labels than the history ends with (an import, an accepted prediction, another window)
// and no edit is waiting to be written, the catalog wins: the workspace never edits a stale copy.
import { History } from './history';
import type { ImageLabels } from './labels';

const histories = new Map<string, History<ImageLabels>>();

/** The labels as content, keys left out: a person made here has a local key, the catalog's an id. */
function content(labels: ImageLabels): string {
  return JSON.stringify(
    labels.instances.map((i) => [i.box, i.keypoints.map((k) => [k.joint, k.x, k.y, k.visibility, k.absent ?? null])]),
  );
}

export function imageHistory(
  project: string,
  imageId: number,
  stored: ImageLabels,
  editsPending: boolean,
): History<ImageLabels> {
  const key = `${project}\u0000${imageId}`;
  let history = histories.get(key);
  if (!history || (!editsPending && content(history.present) !== content(stored))) {
    history = new History(stored);
    histories.set(key, history);
  }
  return history;
}
