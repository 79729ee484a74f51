import { utilityProcess } from 'electron';
import type { WorkerLauncher } from '../core/worker/worker-launcher';
import { withRetainedMemory } from '../core/backends/retained-memory';

/** Workers in the desktop app run as Electron utility processes, same messages as fork. */
export const utilityProcessLauncher: WorkerLauncher = (entry) => {
  const child = utilityProcess.fork(entry.path, [], {
    serviceName: 'DeepPose worker',
    stdio: 'inherit',
    env: withRetainedMemory(),
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message) => listener(message)),
    onExit: (listener) => child.on('exit', (code) => listener(code, null)),
    kill: () => {
      child.kill();
    },
  };
};
