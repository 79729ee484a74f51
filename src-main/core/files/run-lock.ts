// A run belongs to one worker at a time, whichever process (a CLI `train`, a `serve`, the
// desktop) started it: the owner keeps `worker.lock` in the run folder with its pid, host and
// start time. Another process sees a live owner and neither resumes the run nor calls it
// interrupted; a lock whose process is gone is stale and is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StudioError } from '../../../src-shared/api/define';
import { pidRunsHere } from './pid-alive';

export const RUN_LOCK_FILE = 'worker.lock';

export interface RunLockHolder {
  pid: number;
  host: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
}

export interface RunLock {
  release(): void;
}

function lockPath(runDir: string): string {
  return join(runDir, RUN_LOCK_FILE);
}

function readHolder(runDir: string): RunLockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(lockPath(runDir), 'utf8')) as RunLockHolder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? holder : null;
  } catch {
    return null;
  }
}

/** Whether the holder's process still runs. On another host it cannot be asked, so it counts as live. */
function isLive(holder: RunLockHolder): boolean {
  return holder.host !== hostname() || pidRunsHere(holder.pid);
}

/** The live owner of the run other than this process, or null when the run is free (or ours). */
export function runOwner(runDir: string): RunLockHolder | null {
  const holder = readHolder(runDir);
  if (!holder || (holder.pid === process.pid && holder.host === hostname())) return null;
  return isLive(holder) ? holder : null;
}

export function describeOwner(runName: string, holder: RunLockHolder): string {
  return `run '${runName}' is being trained by process ${holder.pid} on ${holder.host} (since ${new Date(holder.startedAt).toISOString()}); stop it there first`;
}

/** Takes the run for this process; refuses with 'conflict' while another live process holds it. */
export function acquireRunLock(runDir: string, runName: string): RunLock {
  mkdirSync(runDir, { recursive: true });
  const mine: RunLockHolder = { pid: process.pid, host: hostname(), startedAt: Date.now() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath(runDir), 'wx');
      try {
        writeSync(fd, JSON.stringify(mine));
      } finally {
        closeSync(fd);
      }
      return {
        release: () => {
          const holder = readHolder(runDir);
          if (holder && holder.pid === mine.pid && holder.startedAt === mine.startedAt)
            rmSync(lockPath(runDir), { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = runOwner(runDir);
      if (owner) throw new StudioError('conflict', describeOwner(runName, owner));
      rmSync(lockPath(runDir), { force: true }); // stale (or a leftover of this process): take it over
    }
  }
  throw new StudioError('conflict', `run '${runName}': another process keeps taking its lock ${lockPath(runDir)}`);
}
