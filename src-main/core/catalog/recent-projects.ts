// The studio home remembers recently opened projects (newest first) in a small JSON file.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../files/durable-write';

const FILE = 'recent-projects.json';
const KEEP = 20;

export function recentProjects(home: string): string[] {
  try {
    const list = JSON.parse(readFileSync(join(home, FILE), 'utf8'));
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

export async function rememberProject(home: string, projectDir: string): Promise<void> {
  const dir = resolve(projectDir);
  const list = [dir, ...recentProjects(home).filter((p) => p !== dir)].slice(0, KEEP);
  await mkdir(home, { recursive: true });
  await writeFileAtomic(join(home, FILE), JSON.stringify(list, null, 1));
}

/** Drops `projectDir` from the list (nothing on disk but the list changes); false when it was not listed. */
export async function forgetProject(home: string, projectDir: string): Promise<boolean> {
  const dir = resolve(projectDir);
  const list = recentProjects(home);
  if (!list.includes(dir)) return false;
  await writeFileAtomic(
    join(home, FILE),
    JSON.stringify(
      list.filter((p) => p !== dir),
      null,
      1,
    ),
  );
  return true;
}
