// `--threads N` on train, predict and bench: the flag, its help line and its effect.
import { optionalNumber, UsageError } from './command';
import { setThreadCount, THREADS_ENV } from '../core/parallelism';

export const threadsOption = { threads: { type: 'string' } } as const;

export const threadsUsage = `  --threads N      threads for ONNX Runtime (default: ${THREADS_ENV}, else this machine's cores)`;

/** Applies --threads when given; call it before any worker starts (workers inherit it). */
export function applyThreadsOption(values: Record<string, unknown>): void {
  const n = optionalNumber(values, 'threads');
  if (n === undefined) return;
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--threads must be a whole number from 1 on, got '${String(values.threads)}'`);
  setThreadCount(n);
}
