// Leftovers of writers that died mid-write: checkpoint folders `.partial-NAME-PID`, model and
// stage folders `DIR.partial-PID`, and durable-write temp files `.NAME.PID[-RANDOM].tmp`.
// Each carries its writer's pid, so a leftover is removed only when that pid runs on no
// process here. A run held (worker.lock) from another host is not touched: its pids mean
// nothing on this one; outside runs a temp file must also be an hour old, since its writer
// may be another host's studio sharing the folder.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runOwner } from './run-lock';
import { pidRunsHere } from './pid-alive';

const PARTIAL = /\.partial-(?:.+-)?(\d+)$/;
const TEMP = /^\..+\.(\d+)(?:-[0-9a-f]+)?\.tmp$/;
/** Deep enough for runs/RUN/checkpoints/ENTRY, shallow enough never to walk a dataset. */
const MAX_DEPTH = 3;
const REMOTE_GRACE_MS = 60 * 60 * 1000;

/** The writer pid a leftover's name carries, or null for any other name. */
export function leftoverWriter(name: string): number | null {
  const match = PARTIAL.exec(name) ?? TEMP.exec(name);
  const pid = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** Removes dead writers' leftovers under a project folder; returns what was removed. Best effort: never throws. */
export function removeLeftovers(projectDir: string): string[] {
  const removed: string[] = [];
  const visit = (dir: string, depth: number, inRun: boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const info = lstatSync(path, { throwIfNoEntry: false });
      if (!info || info.isSymbolicLink()) continue;
      const pid = leftoverWriter(name);
      if (pid !== null) {
        const fresh = !inRun && Date.now() - info.mtimeMs < REMOTE_GRACE_MS;
        if (!pidRunsHere(pid) && !fresh) {
          try {
            rmSync(path, { recursive: true, force: true });
            removed.push(path);
          } catch {
            // a leftover we cannot remove is no reason to refuse the project
          }
        }
        continue;
      }
      if (!info.isDirectory() || depth >= MAX_DEPTH) continue;
      const isRun = depth === 1 && dir === join(projectDir, 'runs');
      if (isRun && heldFromAnotherHost(path)) continue;
      visit(path, depth + 1, inRun || isRun);
    }
  };
  visit(projectDir, 0, false);
  return removed;
}

function heldFromAnotherHost(runDir: string): boolean {
  const owner = runOwner(runDir);
  return owner !== null && owner.host !== hostname();
}
