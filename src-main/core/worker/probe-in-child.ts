// Probes a backend in a worker process started the way the studio starts its training
// workers (child_process.fork in the CLI and serve; Electron's utilityProcess, through main,
// in the desktop app, where the RunAsNode fuse forbids forking Node). A crash or a hang while
// loading a native library is a reason too, never a crash of the caller.
import { ProbeEvent, type HostMessage, type ProbeResult } from '../../../src-shared/training/protocol';
import { checkMessage } from './checked-message';
import { forkLauncher, workerEntry, type WorkerEntry, type WorkerLauncher } from './worker-launcher';

/** CUDA compiles TensorFlow 2.9's kernels for a newer GPU on first use: that can take a while. */
const PROBE_TIMEOUT_MS = 180_000;

export function probeInChild(
  name: string,
  launch: WorkerLauncher = forkLauncher,
  entry: WorkerEntry = workerEntry(),
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const child = launch(entry);
    let settled = false;
    const settle = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Dawn and libtensorflow keep threads alive: the answer is all we need from it.
      child.kill('SIGKILL');
      resolve(result);
    };
    const timer = setTimeout(
      () => settle({ ok: false, reason: `its probe did not finish within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    child.onMessage((message) => {
      const checked = checkMessage(ProbeEvent, message, 'the probe worker');
      settle(checked.ok ? checked.message.result : { ok: false, reason: checked.error });
    });
    child.onExit((code, signal) =>
      settle({ ok: false, reason: `its probe process ended (${signal ?? `code ${code}`}) without an answer` }),
    );
    child.send({ type: 'probe', backend: name } satisfies HostMessage);
  });
}
