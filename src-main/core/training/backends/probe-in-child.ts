// Runs probe-entry in a child process and returns what it found. A crash or a hang while
// loading a native library is a reason too, never a crash of the caller.
import { fork } from 'node:child_process';
import type { BackendName } from '../../../../src-shared/training/config';
import { bundleEntry } from '../../worker/worker-launcher';

export interface ProbeResult {
  ok: boolean;
  devices?: string[];
  reason?: string;
}

/** CUDA compiles TensorFlow 2.9's kernels for a newer GPU on first use: that can take a while. */
const PROBE_TIMEOUT_MS = 180_000;

export function probeInChild(name: BackendName, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const entry = bundleEntry('backend-probe', 'src-main/core/training/backends/probe-entry.ts');
  return new Promise((resolve) => {
    const child = fork(entry.path, [name], { execArgv: entry.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let reply: ProbeResult | undefined;
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('message', (message) => (reply = message as ProbeResult));
    const timer = setTimeout(() => {
      reply ??= { ok: false, reason: `its probe did not finish within ${timeoutMs / 1000} s` };
      child.kill('SIGKILL');
    }, timeoutMs);
    const settle = (how: string) => {
      clearTimeout(timer);
      const last = stderr.trim().split('\n').filter((l) => l.trim()).pop();
      resolve(reply ?? { ok: false, reason: `its probe process ended (${how}) without an answer${last ? `: ${last.trim()}` : ''}` });
    };
    child.on('error', (error) => settle(error.message));
    child.on('exit', (code, signal) => settle(signal ?? `code ${code}`));
  });
}
