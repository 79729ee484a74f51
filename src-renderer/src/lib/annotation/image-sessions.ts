// Undo histories live for the whole session, per image, so leaving an image and coming back
// keeps its undo steps (and shows edits still waiting to be written).
import { History } from './history';
import type { ImageLabels } from './labels';

const histories = new Map<string, History<ImageLabels>>();

export function imageHistory(project: string, imageId: number, load: () => ImageLabels): History<ImageLabels> {
  const key = `${project}\u0000${imageId}`;
  let history = histories.get(key);
  if (!history) {
    history = new History(load());
    histories.set(key, history);
  }
  return history;
}
