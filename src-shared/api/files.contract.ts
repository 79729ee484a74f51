import { z } from 'zod';
import { call } from './define';
import { inputPath, pathHint } from './paths';

/** What the user is choosing: an existing folder, an existing file, or where to save a new file. */
export const PickKind = z.enum(['folder', 'file', 'save']);
export type PickKind = z.infer<typeof PickKind>;

/** File types offered, as a native dialog names them: `{ name: 'Images', extensions: ['jpg', 'png'] }`. */
export const FileFilter = z.object({
  name: z.string().min(1),
  extensions: z.array(z.string().regex(/^[A-Za-z0-9]{1,10}$/)).min(1),
});
export type FileFilter = z.infer<typeof FileFilter>;

export const PickRequest = z.object({
  kind: PickKind,
  title: z.string().max(200).optional(),
  /** Where to open: a folder, or a file whose folder is meant; the nearest existing one is used. */
  start: pathHint().optional(),
  /** Files offered ('file' and 'save'); none means every file. */
  filters: z.array(FileFilter).max(10).optional(),
  /** The file name a 'save' starts with. */
  defaultName: z.string().max(255).optional(),
});
export type PickRequest = z.infer<typeof PickRequest>;

/** 'unavailable': this door has no native dialog; the renderer shows its own folder browser. */
export const PickResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('picked'), path: z.string() }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('unavailable') }),
]);
export type PickResult = z.infer<typeof PickResult>;

export const FolderEntry = z.object({ name: z.string(), path: z.string() });
export type FolderEntry = z.infer<typeof FolderEntry>;

export const FolderListing = z.object({
  /** The folder listed (the nearest existing folder of the one asked for). */
  folder: z.string(),
  /** Its parent, or null where going up would leave the allowed places. */
  parent: z.string().nullable(),
  /** Separator for joining a typed file name to `folder`. */
  separator: z.string(),
  /** Starting points: the home folder and the studio's open folders. */
  places: z.array(FolderEntry),
  folders: z.array(FolderEntry),
  files: z.array(FolderEntry),
  /** More entries exist than were listed. */
  truncated: z.boolean(),
});
export type FolderListing = z.infer<typeof FolderListing>;

export const fileCalls = {
  'files.pick': call(
    PickRequest,
    PickResult,
    "Choose a folder, a file or a save location with the system's dialog; doors without one answer 'unavailable'.",
  ),
  'files.reveal': call(
    z.object({ path: inputPath('file to show') }),
    z.object({ status: z.enum(['shown', 'unavailable']) }),
    "Show a file in the system's file manager (the desktop); a browser cannot, so other doors answer 'unavailable'.",
  ),
  'files.browse': call(
    z.object({
      folder: inputPath('folder').optional(),
      /** Files with these extensions are listed beside the subfolders; none: folders only. '*' lists every file. */
      extensions: z
        .array(z.string().regex(/^(\*|[A-Za-z0-9]{1,10})$/))
        .max(40)
        .optional(),
      /** List entries whose names start with a dot too (hidden by default). */
      hidden: z.boolean().optional(),
    }),
    FolderListing,
    "List a folder's subfolders and matching files for the browser door's picker; only the home folder and the studio's open folders, never a system tree.",
  ),
  'files.makeFolder': call(
    z.object({
      /** A folder the browser may list. */
      parent: inputPath('folder'),
      /** One folder name: no separators, not '.' or '..'. */
      name: z.string().min(1).max(255),
    }),
    z.object({ path: z.string() }),
    "Make a new, empty folder inside a folder the picker may list (the browser door's 'New folder'); an existing name, a system tree or a project's own files are refused.",
  ),
};
