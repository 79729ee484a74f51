// Suggestions written for other tools, one record per detected person, on the LSP-14 skeleton:
// the reference list (`path,x0,y0,v0,...`, a placed joint v 1, an unplaced one 0,0,0) or a
// COCO keypoints file whose annotations carry the person's `score` and a `keypoint_scores`
// array (0 where unplaced). Rows follow the image paths' order, then the detector's.
import { dirname } from 'node:path';
import { writeFileAtomic } from '../files/durable-write';
import { csvLine } from '../formats/csv';
import { pathForList } from '../formats/dataset-paths';
import type { Skeleton } from '../../../src-shared/domain/skeleton';
import type { ImageSuggestions } from './suggester';

/** Suggestions are model output: a hundredth of a pixel is plenty. */
const px = (v: number) => Math.round(v * 100) / 100;

export type SuggestionFormat = 'csv' | 'coco';

export interface SuggestedImage extends ImageSuggestions {
  imagePath: string;
}

function sorted(images: SuggestedImage[]): SuggestedImage[] {
  return [...images].sort((a, b) => (a.imagePath < b.imagePath ? -1 : a.imagePath > b.imagePath ? 1 : 0));
}

export function suggestionList(images: SuggestedImage[], listDir: string): string {
  const lines = sorted(images).flatMap((image) =>
    image.persons.map((person) =>
      csvLine([
        pathForList(listDir, image.imagePath),
        ...person.joints.flatMap((j) => (j ? [px(j.x), px(j.y), 1] : [0, 0, 0])),
      ]),
    ),
  );
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function suggestionCoco(images: SuggestedImage[], listDir: string, skeleton: Skeleton): object {
  const ordered = sorted(images);
  let annotationId = 0;
  return {
    images: ordered.map((image, i) => ({
      id: i + 1,
      file_name: pathForList(listDir, image.imagePath),
      width: image.width,
      height: image.height,
    })),
    annotations: ordered.flatMap((image, i) =>
      image.persons.map((person) => ({
        id: ++annotationId,
        image_id: i + 1,
        category_id: 1,
        iscrowd: 0,
        num_keypoints: person.joints.filter(Boolean).length,
        keypoints: person.joints.flatMap((j) => (j ? [px(j.x), px(j.y), 2] : [0, 0, 0])),
        keypoint_scores: person.joints.map((j) => (j ? Math.round(j.score * 1000) / 1000 : 0)),
        bbox: person.box.map(px),
        area: px(person.box[2] * person.box[3]),
        score: Math.round(person.score * 1000) / 1000,
      })),
    ),
    categories: [
      {
        id: 1,
        name: 'person',
        supercategory: 'person',
        keypoints: skeleton.joints,
        skeleton: skeleton.edges.map(([a, b]) => [a + 1, b + 1]),
      },
    ],
  };
}

/** Writes the whole file or nothing; `target` was checked by the caller (checkWriteTarget). */
export async function writeSuggestions(
  images: SuggestedImage[],
  format: SuggestionFormat,
  target: string,
  skeleton: Skeleton,
): Promise<number> {
  const text =
    format === 'coco'
      ? JSON.stringify(suggestionCoco(images, dirname(target), skeleton))
      : suggestionList(images, dirname(target));
  await writeFileAtomic(target, text);
  return images.reduce((n, image) => n + image.persons.length, 0);
}
