// Export entry point shared by the API handler and the CLI.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExportFormat, ExportReport } from '../../../src-shared/api/catalog.contract';
import type { TaskContext } from '../tasks/task-manager';
import { exportCoco } from '../formats/coco-export';
import { exportReferenceCsv } from '../formats/reference-csv-export';
import type { Catalog } from '../catalog/open-catalog';
import { silentTask } from './import-dataset';

export interface ExportOptions {
  format: ExportFormat;
  path: string;
  /** Reference preprocessing (csv only): 256 crops around the joints, written beside the list. */
  preprocess?: boolean;
  /** csv only: write image paths relative to this folder (the reference's working folder), not to the list's. */
  imagesRoot?: string;
  /** Replace existing files (the list, and with `preprocess` crops of the same name); the target was checked with it. */
  overwrite?: boolean;
}

/** The destination's folder is made when missing (a new project has no exports/ yet). */
export async function exportDataset(
  catalog: Catalog,
  options: ExportOptions,
  task: TaskContext = silentTask,
): Promise<ExportReport> {
  await mkdir(dirname(options.path), { recursive: true });
  return options.format === 'coco'
    ? exportCoco(catalog, options.path, task)
    : exportReferenceCsv(catalog, options.path, options, task);
}
