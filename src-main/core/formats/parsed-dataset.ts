// What every importer's parser produces before anything is written: records (one image and
// the people in it), problems found per record, and counts of what was skipped on purpose.
import { isAbsolute, resolve } from 'node:path';
import type { ImportFormat, ImportProblem } from '../../../src-shared/api/catalog.contract';
import type { Box } from '../../../src-shared/domain/image';
import type { Skeleton } from '../../../src-shared/domain/skeleton';
import { StudioError } from '../../../src-shared/api/define';
import { isInside } from '../files/allowed-roots';

/**
 * How a format's third number per joint maps onto catalog visibility (0 none, 1 occluded, 2 visible):
 * - 'coco': already 0/1/2, kept exactly.
 * - 'occluded-flag' (LSP joints.mat): 1 = occluded -> 1, 0 -> 2; every LSP joint is labeled.
 * - 'visible-flag' (reference list, LSPET): 1 = visible -> 2; 0 -> 1 (labeled, occluded) when the
 *   point lies inside the image, else 0 (not labeled: such points are placeholders, e.g. 0,0 or -1,-1).
 */
export type VisibilityRule = 'coco' | 'occluded-flag' | 'visible-flag';

export interface ParsedInstance {
  /** Where in the source file, e.g. 'line 3' or 'annotation 12'. */
  record: string;
  box: Box | null;
  /** [x, y, flag] per joint, flag as the format writes it. */
  joints: [number, number, number][];
}

export interface ParsedRecord {
  file: string;
  record: string | null;
  imagePath: string;
  /** Size the dataset states for the image (COCO); checked against the file. */
  claimedSize: { width: number; height: number } | null;
  instances: ParsedInstance[];
}

export interface ParsedDataset {
  format: ImportFormat;
  path: string;
  /** A skeleton the file itself declares (COCO category), else null. */
  skeleton: Skeleton | null;
  /** Joints per instance the format fixes (LSP: 14), else null. */
  jointCount: number | null;
  visibility: VisibilityRule;
  records: ParsedRecord[];
  problems: ImportProblem[];
  skippedCrowd: number;
  skippedNoKeypoints: number;
}

export function fileProblem(file: string, reason: string): StudioError {
  return new StudioError('bad-input', `${file}: ${reason}`);
}

/**
 * Resolves an image path written in a dataset file. Relative paths must stay inside the
 * dataset folder (a list that says ../../etc/passwd is refused); absolute paths name the
 * user's own files and are taken as they are.
 */
export function resolveDatasetPath(datasetDir: string, written: string): { path: string } | { reason: string } {
  if (written === '') return { reason: 'empty image path' };
  if (written.includes('\0')) return { reason: 'image path contains a NUL byte' };
  if (isAbsolute(written)) return { path: written };
  const path = resolve(datasetDir, written);
  if (!isInside(path, datasetDir))
    return { reason: `image path '${written}' escapes the dataset folder ${datasetDir}` };
  return { path };
}
