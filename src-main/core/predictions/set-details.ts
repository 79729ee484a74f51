// What a prediction set knows beyond the catalog's rows: the backend and inference timing of
// the job, the displayed size of each image, and the images it could not read. Kept in
// <project>/predictions/set-<id>.json, written whole (temp-then-rename) when the job ends.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/open-catalog';
import { writeFileAtomic } from '../files/durable-write';

export interface SetDetails {
  backend: string | null;
  msPerImage: { mean: number; std: number } | null;
  /** [width, height] by image path. */
  sizes: Record<string, [number, number]>;
  skipped: { imagePath: string; reason: string }[];
}

export function emptyDetails(): SetDetails {
  return { backend: null, msPerImage: null, sizes: {}, skipped: [] };
}

function detailsPath(catalog: Catalog, setId: number): string {
  return join(catalog.dir, 'predictions', `set-${setId}.json`);
}

/** The set's details; empty when the job never finished writing them. */
export function readSetDetails(catalog: Catalog, setId: number): SetDetails {
  try {
    return { ...emptyDetails(), ...(JSON.parse(readFileSync(detailsPath(catalog, setId), 'utf8')) as Partial<SetDetails>) };
  } catch {
    return emptyDetails();
  }
}

export async function writeSetDetails(catalog: Catalog, setId: number, details: SetDetails): Promise<void> {
  const path = detailsPath(catalog, setId);
  await mkdir(join(catalog.dir, 'predictions'), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(details));
}
