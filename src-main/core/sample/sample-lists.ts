// The label files written beside a generated sample: the reference list (CSV) and COCO
// person keypoints (JSON), both in LSP joint order.
import { relative, sep } from 'node:path';
import { LSP14 } from '../../../src-shared/domain/skeleton';
import type { LabelledJoint } from './scene';

export interface SampleExample {
  /** Absolute path of the JPEG. */
  imagePath: string;
  width: number;
  height: number;
  /** Catalog visibility: 2 visible; 1 hidden by an occluder or the body, or outside the frame. */
  joints: LabelledJoint[];
}

const coordinate = (v: number) => (Math.round(v * 100) / 100).toString();
const portable = (path: string) => path.split(sep).join('/');

/**
 * `image_path,x0,y0,v0,...` with paths relative to the list and v 1 = visible, 0 = not.
 * The format cannot say "hidden but labeled" apart from "not labeled"; COCO can.
 */
export function referenceCsv(examples: SampleExample[], listDir: string): string {
  return examples
    .map((e) =>
      [
        portable(relative(listDir, e.imagePath)),
        ...e.joints.flatMap(([x, y, v]) => [coordinate(x), coordinate(y), v === 2 ? '1' : '0']),
      ].join(','),
    )
    .join('\n')
    .concat('\n');
}

/** COCO keypoints with v kept as labelled (2 visible, 1 labeled but not visible); file names relative to the JSON. */
export function cocoKeypoints(examples: SampleExample[], jsonDir: string): object {
  return {
    info: { description: 'DeepPose Studio procedural sample (LSP joint order)' },
    categories: [
      {
        id: 1,
        name: 'person',
        supercategory: 'person',
        keypoints: LSP14.joints,
        skeleton: LSP14.edges.map(([a, b]) => [a + 1, b + 1]),
      },
    ],
    images: examples.map((e, i) => ({
      id: i + 1,
      file_name: portable(relative(jsonDir, e.imagePath)),
      width: e.width,
      height: e.height,
    })),
    annotations: examples.map((e, i) => {
      const xs = e.joints.map(([x]) => Math.min(Math.max(x, 0), e.width));
      const ys = e.joints.map(([, y]) => Math.min(Math.max(y, 0), e.height));
      const box = [
        Math.min(...xs),
        Math.min(...ys),
        Math.max(...xs) - Math.min(...xs),
        Math.max(...ys) - Math.min(...ys),
      ].map((v) => Math.round(v * 100) / 100);
      return {
        id: i + 1,
        image_id: i + 1,
        category_id: 1,
        iscrowd: 0,
        num_keypoints: e.joints.filter(([, , v]) => v > 0).length,
        keypoints: e.joints.flatMap(([x, y, v]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100, v]),
        bbox: box,
        area: Math.round(box[2] * box[3] * 100) / 100,
      };
    }),
  };
}
