// The open catalogs of one studio, by project folder: handlers, the CLI and the training host
// share one connection per project; all are closed when the studio closes.
import { resolve } from 'node:path';
import type { StudioContext } from '../studio-context';
import { perStudio } from '../per-studio';
import { openCatalog, type Catalog } from './open-catalog';
import { imageFolders } from './images';
import { removeLeftovers } from '../files/leftovers';
import { catalogFolderAdmitted } from '../files/read-access';

export class ProjectCatalogs {
  private readonly open = new Map<string, Catalog>();

  constructor(private readonly onOpen: (catalog: Catalog) => void = () => {}) {}

  /** The open catalog of `projectDir`, opening it on first use. */
  get(projectDir: string): Catalog {
    const dir = resolve(projectDir);
    let catalog = this.open.get(dir);
    if (!catalog) {
      catalog = openCatalog(dir);
      this.open.set(dir, catalog);
      this.onOpen(catalog);
    }
    return catalog;
  }

  /** Registers a catalog opened elsewhere (e.g. just created). */
  adopt(catalog: Catalog): Catalog {
    const existing = this.open.get(catalog.dir);
    if (existing && existing !== catalog) existing.close();
    this.open.set(catalog.dir, catalog);
    this.onOpen(catalog);
    return catalog;
  }

  closeAll(): void {
    for (const catalog of this.open.values()) catalog.close();
    this.open.clear();
  }
}

/**
 * One ProjectCatalogs per studio; opening a project lets the doors serve its folder and images,
 * and clears what writers that died mid-write left in it.
 */
export const getProjectCatalogs = perStudio((ctx) => {
  const catalogs = new ProjectCatalogs((catalog) => {
    allowProjectFolders(ctx, catalog);
    removeLeftovers(catalog.dir);
  });
  ctx.onClose(() => catalogs.closeAll());
  return catalogs;
});

/**
 * Adds the project folder and the folders holding its images to the allowed roots; an image
 * folder the catalog names outside what the door may read (a system tree, or on serve a place
 * outside its home and --allow roots) is not added, so its files are served to no one.
 */
export function allowProjectFolders(ctx: StudioContext, catalog: Catalog): void {
  ctx.roots.add(catalog.dir);
  for (const folder of imageFolders(catalog))
    if (catalogFolderAdmitted(ctx, catalog.dir, folder)) ctx.roots.add(folder);
}
