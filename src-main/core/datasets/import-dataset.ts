// One import, start to end: parse the dataset, read every image it names, check everything,
// and only then write it all in ONE transaction. A failed or killed import changes nothing;
// importing the same data again changes nothing either (images are matched by sha256,
// instances by their box and keypoints).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { describeIoError } from '../files/io-errors';
import { basename, join } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import type { ImportFormat, ImportProblem, ImportReport } from '../../../src-shared/api/catalog.contract';
import type { Visibility } from '../../../src-shared/domain/keypoint';
import type { TaskContext } from '../tasks/task-manager';
import { probeImage, type ProbedImage } from '../media/ingest';
import { parseReferenceCsv } from '../formats/reference-csv';
import { parseLsp } from '../formats/lsp';
import { parseCoco } from '../formats/coco';
import { parseImageFolder } from '../formats/image-folder';
import type { ParsedDataset, VisibilityRule } from '../formats/parsed-dataset';
import type { Catalog } from '../catalog/open-catalog';
import { readProject } from '../catalog/project-info';
import type { ImportPlan, ReadyRecord } from '../catalog/import-write';
import { writeImportPlan } from '../catalog/import-write-offload';

export interface ImportOptions {
  format: ImportFormat;
  path: string;
  /** Copy images into <project>/images (named by content hash) instead of referring to them. */
  copyImages?: boolean;
  /** csv only: the folder relative image paths are under; default: the list's folder, then its parents. */
  imagesRoot?: string;
  /** Leave out records with problems (they are listed in the report) instead of failing. */
  skipBadRecords?: boolean;
  /** The door's check on each image a dataset names (serve: within its reach); a refusal is that record's problem. */
  checkImagePath?: (path: string) => Promise<void>;
}

const PROBLEMS_IN_MESSAGE = 20;

/** A task context for callers without a task manager (tests, scripts). */
export const silentTask: TaskContext = {
  id: 'untracked',
  signal: new AbortController().signal,
  progress: () => {},
  throwIfCancelled: () => {},
};

async function parse(options: ImportOptions, jointCount: number, task: TaskContext): Promise<ParsedDataset> {
  switch (options.format) {
    case 'csv':
      return parseReferenceCsv(options.path, jointCount, options.imagesRoot);
    case 'lsp':
    case 'lspet':
      return parseLsp(options.path, options.format);
    case 'coco':
      return parseCoco(options.path);
    case 'folder':
      return parseImageFolder(options.path, task);
  }
}

export function mapVisibility(
  rule: VisibilityRule,
  x: number,
  y: number,
  flag: number,
  width: number,
  height: number,
): Visibility {
  if (rule === 'coco') return flag as Visibility;
  if (rule === 'occluded-flag') return flag === 1 ? 1 : 2;
  if (flag === 1) return 2;
  return x >= 0 && y >= 0 && x < width && y < height && !(x === 0 && y === 0) ? 1 : 0;
}

/** How far outside its image a labeled point may lie (in image sizes) before the record is taken as garbage. */
export const COORDINATE_MARGIN = 10;

/** Why a record's coordinates cannot be real (not finite, or far outside the image), else null; ±1e300 would wreck training. */
export function farCoordinate(joints: [number, number, number][], width: number, height: number): string | null {
  for (const [j, [x, y]] of joints.entries()) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return `joint ${j} has a non-finite coordinate`;
    if (Math.abs(x) > COORDINATE_MARGIN * width || Math.abs(y) > COORDINATE_MARGIN * height) {
      return `joint ${j} lies at (${x}, ${y}), more than ${COORDINATE_MARGIN}× the image size (${width}×${height}) away`;
    }
  }
  return null;
}

export function describeProblem(p: ImportProblem): string {
  return `${p.file}${p.record ? ` ${p.record}` : ''}: ${p.reason}`;
}

function listProblems(problems: ImportProblem[]): string {
  const listed = problems.slice(0, PROBLEMS_IN_MESSAGE).map((p) => `  ${describeProblem(p)}`);
  if (problems.length > PROBLEMS_IN_MESSAGE) listed.push(`  … and ${problems.length - PROBLEMS_IN_MESSAGE} more`);
  return listed.join('\n');
}

/** The reason alone when an error message starts with the file it is about. */
function reasonOf(error: unknown, file: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

export async function importDataset(
  catalog: Catalog,
  options: ImportOptions,
  task: TaskContext = silentTask,
): Promise<ImportReport> {
  const project = readProject(catalog);
  const projectJoints = project.skeleton.joints.length;
  task.progress(0, null, 'reading the dataset');
  const parsed = await parse(options, projectJoints, task);
  const imageCount = (catalog.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
  const datasetJoints = parsed.skeleton?.joints.length ?? parsed.jointCount;
  // A COCO category may define the skeleton of a project that has no images yet.
  const adoptSkeleton =
    parsed.skeleton !== null &&
    imageCount === 0 &&
    JSON.stringify(parsed.skeleton) !== JSON.stringify(project.skeleton);
  if (datasetJoints !== null && datasetJoints !== projectJoints && !adoptSkeleton) {
    throw new StudioError(
      'conflict',
      `${parsed.path}: the data has ${datasetJoints} joints per person, the project's skeleton '${project.skeleton.name}' has ${projectJoints}`,
    );
  }
  const problems = [...parsed.problems];

  // Read each distinct image once: hash, size, and proof that it decodes.
  const paths = [...new Set(parsed.records.map((r) => r.imagePath))];
  const probed = new Map<string, ProbedImage | Error>();
  for (const [i, path] of paths.entries()) {
    task.throwIfCancelled();
    task.progress(i, paths.length, 'reading images');
    probed.set(
      path,
      await (options.checkImagePath?.(path) ?? Promise.resolve())
        .then(() => probeImage(path))
        .catch((error: Error) => error),
    );
  }
  task.progress(paths.length, paths.length, 'reading images');

  const ready: ReadyRecord[] = [];
  for (const record of parsed.records) {
    const image = probed.get(record.imagePath)!;
    const problem = (reason: string) => problems.push({ file: record.file, record: record.record, reason });
    if (image instanceof Error) {
      problem(record.file === record.imagePath ? reasonOf(image, record.imagePath) : image.message);
      continue;
    }
    const claimed = record.claimedSize;
    if (claimed && (claimed.width !== image.width || claimed.height !== image.height)) {
      problem(`states ${claimed.width}×${claimed.height} but ${image.path} is ${image.width}×${image.height}`);
      continue;
    }
    const far = record.instances
      .map((instance) => farCoordinate(instance.joints, image.width, image.height))
      .find((reason) => reason !== null);
    if (far) {
      problem(far);
      continue;
    }
    ready.push({
      image,
      instances: record.instances.map((instance) => ({
        box: instance.box,
        keypoints: instance.joints.map(([x, y, flag]) => ({
          x,
          y,
          visibility: mapVisibility(parsed.visibility, x, y, flag, image.width, image.height),
        })),
      })),
    });
  }
  const badRecords = new Set(problems.map((p) => `${p.file}\0${p.record}`)).size;
  if (problems.length > 0 && !options.skipBadRecords) {
    throw new StudioError(
      'bad-input',
      `import of ${parsed.path} failed, nothing was changed: ${problems.length} problem${problems.length === 1 ? '' : 's'} (import again with "skip bad records" to leave them out)\n${listProblems(problems)}`,
    );
  }

  if (ready.length === 0 && problems.length > 0) {
    throw new StudioError(
      'bad-input',
      `import of ${parsed.path} failed, nothing was changed: every record was rejected\n${listProblems(problems)}`,
    );
  }

  // Copies are named by content, so a copy left by a failed import is simply reused later.
  const storedPath = new Map<string, string>();
  if (options.copyImages) {
    const folder = join(catalog.dir, 'images');
    await mkdir(folder, { recursive: true });
    const copied: string[] = [];
    try {
      for (const [i, { image }] of ready.entries()) {
        task.throwIfCancelled();
        task.progress(i, ready.length, 'copying images');
        if (storedPath.has(image.sha256)) continue;
        const target = join(folder, `${image.sha256.slice(0, 16)}-${basename(image.path)}`);
        const temp = `${target}.partial`;
        const existed = existsSync(target);
        try {
          await copyFile(image.path, temp);
          await rename(temp, target);
        } catch (error) {
          await rm(temp, { force: true });
          throw error;
        }
        if (!existed) copied.push(target);
        storedPath.set(image.sha256, target);
      }
    } catch (error) {
      // Nothing reaches the catalog, so the copies made by this import would only fill the disk.
      await Promise.all(copied.map((file) => rm(file, { force: true })));
      throw describeIoError(error, folder);
    }
  }

  const report: ImportReport = {
    format: options.format,
    path: parsed.path,
    imagesAdded: 0,
    imagesAlreadyPresent: 0,
    instancesAdded: 0,
    instancesAlreadyPresent: 0,
    instancesReplaced: 0,
    keypointsAdded: 0,
    skippedCrowd: parsed.skippedCrowd,
    skippedNoKeypoints: parsed.skippedNoKeypoints,
    skippedBadRecords: badRecords,
    problems,
  };
  const plan: ImportPlan = { ready, storedPath, skeleton: adoptSkeleton ? parsed.skeleton : null };
  Object.assign(report, await writeImportPlan(catalog, plan, task));
  task.progress(ready.length, ready.length, 'done');
  return report;
}
