// The `deeppose` command line run from source (tsx) in its own process, as a user runs it, but
// without blocking: a test that checks many independent invocations starts them together (as
// many at a time as there are cores) instead of one after the other.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface CliResult {
  /** The exit code; null when the process was killed (by the timeout or a signal). */
  status: number | null;
  stdout: string;
  stderr: string;
}

export function deepposeAsync(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli', 'index.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs each invocation, as many at once as there are cores; the results in the order asked. */
export async function deepposeAll(invocations: string[][], timeoutMs?: number): Promise<CliResult[]> {
  const results: CliResult[] = new Array(invocations.length);
  let next = 0;
  const worker = async () => {
    while (next < invocations.length) {
      const index = next++;
      results[index] = await deepposeAsync(invocations[index], timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), invocations.length) }, worker));
  return results;
}
