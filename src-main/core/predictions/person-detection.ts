// People as boxes for prediction over real photographs with no labels: the built-in pose
// model's detector (through the suggest worker) finds each person, and the prediction then
// runs once per person through that person's own crop, as the crop rule does for a boxed
// instance. An image where nobody is found is predicted whole, as before.
import type { PredictItem } from '../../../src-shared/training/protocol';
import { DEFAULT_PERSON_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD } from '../../../src-shared/domain/suggestion';
import type { WorkerLauncher } from '../worker/worker-launcher';
import { startSuggestWorker } from '../suggest/suggest-host';

type Box = [number, number, number, number];

/** One item per detected person (its box), or the whole image (box null) where none was found. */
export function itemsForDetections(imagePaths: string[], boxes: Box[][]): PredictItem[] {
  return imagePaths.flatMap((imagePath, i): PredictItem[] =>
    boxes[i]?.length ? boxes[i].map((box) => ({ imagePath, box })) : [{ imagePath, box: null }],
  );
}

/** The people the detector finds on each image, most confident first. */
export async function detectPeople(
  launcher: WorkerLauncher,
  imagePaths: string[],
  modelsDir: string,
): Promise<Box[][]> {
  const boxes: Box[][] = imagePaths.map(() => []);
  const handle = startSuggestWorker(
    launcher,
    {
      modelsDir,
      imagePaths,
      threshold: DEFAULT_SUGGEST_THRESHOLD,
      personThreshold: DEFAULT_PERSON_THRESHOLD,
      backend: 'auto',
    },
    (event) => {
      if (event.type === 'suggestion') boxes[event.index] = event.persons.map((p) => p.box);
    },
  );
  const end = await handle.done;
  if (end.type === 'failed') throw new Error(`person detection: ${end.error}`);
  return boxes;
}
