// How many threads the heavy work may use: ONNX Runtime's intra-op pool and sample
// generation. One number for every process of a studio: `DEEPPOSE_THREADS` when set (the
// CLI's --threads sets it before any worker starts, and workers inherit the environment),
// else the cores this process may run on.
import { availableParallelism } from 'node:os';
import { StudioError } from '../../src-shared/api/define';

export const THREADS_ENV = 'DEEPPOSE_THREADS';

/** A thread count as typed by a person: a whole number from 1 on; else an error naming `source`. */
export function parseThreads(text: string, source: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new StudioError('invalid-argument', `${source} must be a whole number of threads from 1 on, got '${text}'`);
  return n;
}

/** Read at each use (not at import), so a count set by the CLI applies. */
export function threadCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env[THREADS_ENV];
  return set === undefined || set === '' ? availableParallelism() : parseThreads(set, THREADS_ENV);
}

/** Sets the count for this process and every process it starts from now on. */
export function setThreadCount(n: number): void {
  process.env[THREADS_ENV] = String(n);
}
