// Expected failures of the disk itself (full, over quota, read-only, failing) become one
// line naming the place, instead of a stack trace; anything else is passed on unchanged.
import { StudioError } from '../../../src-shared/api/define';

const DISK_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk holding it is full',
  EDQUOT: 'the disk quota for it is used up',
  EROFS: 'it is on a read-only file system',
  EIO: 'the disk holding it reported an I/O error',
};

/** The disk problem behind `error` (by its errno code, also inside an error message), or null. */
export function diskProblemOf(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code && DISK_PROBLEMS[code]) return DISK_PROBLEMS[code];
  const message = error instanceof Error ? error.message : String(error);
  const named = Object.keys(DISK_PROBLEMS).find((c) => message.includes(c));
  if (named) return DISK_PROBLEMS[named];
  // SQLite says it in words rather than errno codes.
  if (/database or disk is full|SQLITE_FULL/i.test(message)) return DISK_PROBLEMS.ENOSPC;
  return null;
}

/** A StudioError "<where>: the disk holding it is full" for disk problems; other errors as they are. */
export function describeIoError(error: unknown, where: string): unknown {
  if (error instanceof StudioError) return error;
  const problem = diskProblemOf(error);
  return problem ? new StudioError('bad-input', `${where}: cannot write, ${problem}`) : error;
}
