import { z } from 'zod';
import { call } from './define';
import { inputPath, outputPath, projectPath } from './paths';
import { Skeleton, SkeletonPresetId } from '../domain/skeleton';
import { KeypointInput } from '../domain/keypoint';
import { ImageSummary, Instance, LabelStatus, Split } from '../domain/image';
import { ProjectSummary } from '../domain/project';

const project = projectPath();
const TaskStarted = z.object({ taskId: z.string() });

export const ImportFormat = z.enum(['folder', 'csv', 'lsp', 'lspet', 'coco']);
export type ImportFormat = z.infer<typeof ImportFormat>;
export const ExportFormat = z.enum(['csv', 'coco']);
/** Published splits: lsp is LSP's standard im0001–im1000 train, im1001–im2000 test. */
export const SplitPreset = z.enum(['lsp']);
export type SplitPreset = z.infer<typeof SplitPreset>;
export type ExportFormat = z.infer<typeof ExportFormat>;

/** One record an importer could not take: the file, where in it, and why. */
export const ImportProblem = z.object({ file: z.string(), record: z.string().nullable(), reason: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;

/** `task.result` of a finished 'datasets.import'. */
export const ImportReport = z.object({
  format: ImportFormat,
  path: z.string(),
  imagesAdded: z.number().int(),
  imagesAlreadyPresent: z.number().int(),
  instancesAdded: z.number().int(),
  instancesAlreadyPresent: z.number().int(),
  /** Persons labeled before whose keypoints the import replaced (one unboxed person on each side). */
  instancesReplaced: z.number().int(),
  keypointsAdded: z.number().int(),
  skippedCrowd: z.number().int(),
  skippedNoKeypoints: z.number().int(),
  skippedBadRecords: z.number().int(),
  problems: z.array(ImportProblem),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** `task.result` of a finished 'datasets.export'. */
export const ExportReport = z.object({
  format: ExportFormat,
  path: z.string(),
  images: z.number().int(),
  instances: z.number().int(),
  /** Examples left out by the reference preprocessing (joints outside the crop or spanning too much). */
  dropped: z.number().int(),
});
export type ExportReport = z.infer<typeof ExportReport>;

/** A person box to store (zod 4 numbers are finite), with a positive width and height (clipped to the image in main). */
export const BoxInput = z.tuple([z.number(), z.number(), z.number().positive(), z.number().positive()]);

export const SkeletonChoice = z.union([z.object({ preset: SkeletonPresetId }), z.object({ custom: Skeleton })]);
export type SkeletonChoice = z.infer<typeof SkeletonChoice>;

export const catalogCalls = {
  'projects.list': call(z.object({}), z.array(ProjectSummary), 'Recently opened projects that still exist.'),
  'projects.create': call(
    z.object({ folder: projectPath(), name: z.string().min(1), skeleton: SkeletonChoice }),
    ProjectSummary,
    'Create a project (a folder with its catalog) and open it.',
  ),
  'projects.open': call(z.object({ folder: projectPath() }), ProjectSummary, 'Open an existing project folder.'),
  'projects.forget': call(
    z.object({ folder: projectPath() }),
    z.object({ forgotten: z.boolean() }),
    'Remove a project from the recent list; its folder and files stay on disk (projects.open lists it again).',
  ),
  'images.list': call(
    z.object({
      project,
      split: Split.optional(),
      status: LabelStatus.optional(),
      search: z.string().optional(),
      hasPredictions: z.boolean().optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().positive().max(5000).default(200),
    }),
    z.object({ total: z.number().int(), items: z.array(ImageSummary) }),
    'One page of the project images, filtered by split, label status and file name.',
  ),
  'images.get': call(
    z.object({ project, imageId: z.number().int() }),
    z.object({ image: ImageSummary, instances: z.array(Instance) }),
    'One image with its instances and keypoints.',
  ),
  'images.nextUnlabeled': call(
    z.object({ project, after: z.number().int() }),
    z.object({ imageId: z.number().int().nullable() }),
    'The next image in grid order after `after` that is not fully labeled (no person yet, or a joint unlabeled), wrapping around; null when every other image is labeled.',
  ),
  'images.setSplit': call(
    z.object({ project, imageIds: z.array(z.number().int()), split: Split }),
    z.object({ updated: z.number().int() }),
    'Move images to a split.',
  ),
  'splits.assign': call(
    z.object({
      project,
      seed: z.number().int(),
      ratios: z.object({
        train: z.number().nonnegative(),
        val: z.number().nonnegative(),
        test: z.number().nonnegative(),
      }),
    }),
    z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int(), keptTest: z.boolean() }),
    'Reassign every image to train / val / test, reproducibly from a seed and ratios; once runs or prediction sets exist, test images stay test (keptTest).',
  ),
  'splits.preset': call(
    z.object({ project, preset: SplitPreset }),
    z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int(), unmatched: z.number().int() }),
    "Apply a published split. lsp: LSP's standard split by file name, im0001–im1000 train and im1001–im2000 test; other images keep theirs (unmatched). Refused (conflict) when it would move test images that runs or prediction sets were measured on.",
  ),
  'instances.create': call(
    z.object({ project, imageId: z.number().int() }),
    Instance,
    'Add a person to an image, all joints unlabeled.',
  ),
  'instances.delete': call(
    z.object({ project, instanceId: z.number().int() }),
    z.object({ deleted: z.literal(true) }),
    'Remove a person and its keypoints.',
  ),
  'instances.setBox': call(
    z.object({ project, instanceId: z.number().int(), box: BoxInput.nullable() }),
    Instance,
    "Set a person's box [x, y, w, h] in image pixels (clipped to the image), or clear it with null; training and prediction crop around it.",
  ),
  'keypoints.save': call(
    z.object({ project, instanceId: z.number().int(), keypoints: z.array(KeypointInput) }),
    Instance,
    "Replace an instance's keypoints (source human); idempotent.",
  ),
  'datasets.import': call(
    z.object({
      project,
      format: ImportFormat,
      path: inputPath('dataset'),
      copyImages: z.boolean().optional(),
      skipBadRecords: z.boolean().optional(),
      imagesRoot: inputPath('images folder').optional(),
      /** When the folder holds no project yet: make one with this name and skeleton, removed again if the import fails. */
      create: z.object({ name: z.string().min(1), skeleton: SkeletonChoice }).optional(),
    }),
    TaskStarted.extend({
      /** The project this import made (only with `create`, when the folder held none); undone if the import fails. */
      created: z.object({ dir: z.string(), skeleton: z.string() }).nullable(),
    }),
    "Import a dataset as one task; task.result is the import report. A csv list's relative image paths are looked for under its folder, then up to 3 folders above, or only under imagesRoot. With create, a folder without a project gets one first (and loses it again if the import fails).",
  ),
  'datasets.export': call(
    z.object({
      project,
      format: ExportFormat,
      path: outputPath(),
      preprocess: z.boolean().optional(),
      overwrite: z.boolean().optional(),
      imagesRoot: inputPath('images folder').optional(),
    }),
    TaskStarted,
    "Export the catalog as a reference list or COCO keypoints JSON, as one task; an existing file is replaced only with overwrite. A list's image paths are relative to its folder, or to imagesRoot (the reference's working folder).",
  ),
};
