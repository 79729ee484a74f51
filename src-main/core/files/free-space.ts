// Free space on the volume holding a path, as this user may fill it (the blocks left to
// unprivileged users, not those reserved for root); null when the system cannot say.
import { statfsSync } from 'node:fs';

export function freeBytes(path: string): number | null {
  try {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}
