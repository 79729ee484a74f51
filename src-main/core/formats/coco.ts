// COCO person keypoints JSON: every non-crowd annotation of the keypoint category with at
// least one labeled keypoint becomes an instance; v = 0/1/2 is kept exactly and the skeleton
// comes from the category (1-based `skeleton` edges, left_/right_ names give the flip pairs).
import { existsSync } from 'node:fs';
import { MAX_LABEL_FILE_BYTES, readRegularFile } from '../files/read-regular-file';
import { dirname, join, resolve } from 'node:path';
import type { ImportProblem } from '../../../src-shared/api/catalog.contract';
import type { Box } from '../../../src-shared/domain/image';
import { COCO17, type Skeleton } from '../../../src-shared/domain/skeleton';
import { fileProblem, resolveDatasetPath, type ParsedDataset, type ParsedRecord } from './parsed-dataset';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Left/right pairs by name: 'left_knee' pairs with 'right_knee' (also 'left knee', 'l_knee'). */
export function flipPairsByName(joints: string[]): [number, number][] {
  const pairs: [number, number][] = [];
  const side = (name: string) => /^(left|l)([_ ])(.+)$/i.exec(name);
  joints.forEach((name, i) => {
    const m = side(name);
    if (!m) return;
    const right = joints.findIndex((other) =>
      new RegExp(`^(right|r)${m[2]}${m[3].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i').test(other),
    );
    if (right >= 0) pairs.push([i, right]);
  });
  return pairs;
}

function skeletonOf(category: Json, file: string): Skeleton {
  const joints = category.keypoints as unknown[];
  if (!joints.every((j) => typeof j === 'string' && j !== ''))
    throw fileProblem(file, `category '${String(category.name)}': keypoint names must be non-empty strings`);
  const names = joints as string[];
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined)
    throw fileProblem(file, `category '${String(category.name)}' lists keypoint '${duplicate}' more than once`);
  if (names.length === COCO17.joints.length && names.every((n, i) => n === COCO17.joints[i])) return COCO17;
  const edges: [number, number][] = [];
  for (const edge of Array.isArray(category.skeleton) ? category.skeleton : []) {
    if (
      !Array.isArray(edge) ||
      edge.length !== 2 ||
      !edge.every((e) => Number.isInteger(e) && e >= 1 && e <= names.length)
    ) {
      throw fileProblem(
        file,
        `category '${String(category.name)}': skeleton edge ${JSON.stringify(edge)} is not a pair of 1-based keypoint numbers`,
      );
    }
    edges.push([edge[0] - 1, edge[1] - 1]);
  }
  return { name: String(category.name ?? 'custom'), joints: names, edges, flipPairs: flipPairsByName(names) };
}

/** Where JSON.parse stopped, without the excerpt of the text V8 puts in its message (the file may be anyone's secrets). */
function jsonErrorPosition(error: Error): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  return position
    ? ` (stops at character ${position})`
    : /end of JSON input/.test(error.message)
      ? ' (ends too early)'
      : '';
}

export async function parseCoco(path: string): Promise<ParsedDataset> {
  const file = resolve(path);
  const text = (await readRegularFile(file, MAX_LABEL_FILE_BYTES, 'COCO file')).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw fileProblem(file, `not valid JSON${jsonErrorPosition(error as Error)}`);
  }
  if (!isObject(doc)) throw fileProblem(file, 'not a COCO file: the top level is not an object');
  for (const key of ['images', 'annotations', 'categories']) {
    if (!Array.isArray(doc[key])) throw fileProblem(file, `not a COCO keypoints file: no '${key}' array`);
  }
  const categories = (doc.categories as unknown[])
    .filter(isObject)
    .filter((c) => Array.isArray(c.keypoints) && c.keypoints.length > 0);
  const category = categories.find((c) => c.name === 'person') ?? categories[0];
  if (!category) throw fileProblem(file, 'no category with keypoints (expected a COCO person keypoints file)');
  const skeleton = skeletonOf(category, file);
  const jointCount = skeleton.joints.length;
  const dir = dirname(file);
  const problems: ImportProblem[] = [];
  const byId = new Map<unknown, ParsedRecord>();
  const records: ParsedRecord[] = [];

  (doc.images as unknown[]).forEach((image, index) => {
    const record = isObject(image) && image.id !== undefined ? `image ${JSON.stringify(image.id)}` : `images[${index}]`;
    const problem = (reason: string) => problems.push({ file, record, reason });
    if (!isObject(image)) return problem('not an object');
    if (typeof image.id !== 'number' && typeof image.id !== 'string') return problem("missing 'id'");
    if (byId.has(image.id)) return problem(`id ${JSON.stringify(image.id)} is used by two images`);
    if (typeof image.file_name !== 'string') return problem("missing 'file_name'");
    let where = resolveDatasetPath(dir, image.file_name);
    // COCO files usually sit beside an images/ folder rather than among the images.
    if ('path' in where && !existsSync(where.path)) {
      const inImages = resolveDatasetPath(join(dir, 'images'), image.file_name);
      if ('path' in inImages && existsSync(inImages.path)) where = inImages;
    }
    if ('reason' in where) return problem(where.reason);
    const claimedSize =
      isFiniteNumber(image.width) && isFiniteNumber(image.height) ? { width: image.width, height: image.height } : null;
    const parsed: ParsedRecord = { file, record, imagePath: where.path, claimedSize, instances: [] };
    byId.set(image.id, parsed);
    records.push(parsed);
  });

  let skippedCrowd = 0;
  let skippedNoKeypoints = 0;
  (doc.annotations as unknown[]).forEach((annotation, index) => {
    const record =
      isObject(annotation) && annotation.id !== undefined
        ? `annotation ${JSON.stringify(annotation.id)}`
        : `annotations[${index}]`;
    const problem = (reason: string) => problems.push({ file, record, reason });
    if (!isObject(annotation)) return problem('not an object');
    if (annotation.category_id !== category.id) return;
    if (annotation.iscrowd === 1 || annotation.iscrowd === true) {
      skippedCrowd++;
      return;
    }
    const image = byId.get(annotation.image_id);
    if (!image) return problem(`image_id ${JSON.stringify(annotation.image_id)} is not in 'images'`);
    const numbers = annotation.keypoints;
    if (!Array.isArray(numbers) || numbers.length !== 3 * jointCount) {
      return problem(
        `'keypoints' has ${Array.isArray(numbers) ? numbers.length : 'no'} numbers, expected ${3 * jointCount} (${jointCount} keypoints × x, y, v)`,
      );
    }
    const badIndex = numbers.findIndex((n) => !isFiniteNumber(n));
    if (badIndex >= 0)
      return problem(`keypoints[${badIndex}] is ${JSON.stringify(numbers[badIndex])}, not a finite number`);
    const joints: [number, number, number][] = [];
    for (let j = 0; j < jointCount; j++) {
      const v = numbers[3 * j + 2] as number;
      if (v !== 0 && v !== 1 && v !== 2)
        return problem(`keypoint ${j} ('${skeleton.joints[j]}'): v must be 0, 1 or 2, got ${v}`);
      joints.push([numbers[3 * j] as number, numbers[3 * j + 1] as number, v]);
    }
    if (!joints.some(([, , v]) => v > 0)) {
      skippedNoKeypoints++;
      return;
    }
    const bbox = annotation.bbox;
    const box: Box | null =
      Array.isArray(bbox) && bbox.length === 4 && bbox.every(isFiniteNumber)
        ? [bbox[0], bbox[1], bbox[2], bbox[3]]
        : null;
    image.instances.push({ record, box, joints });
  });

  return {
    format: 'coco',
    path: file,
    skeleton,
    jointCount,
    visibility: 'coco',
    records,
    problems,
    skippedCrowd,
    skippedNoKeypoints,
  };
}
