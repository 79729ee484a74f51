// Starts the core host (the whole studio) as an Electron utility process. Its entry must be
// a built file: electron-vite's `?modulePath` import builds it and gives its path.
import { utilityProcess } from 'electron';
import coreHostPath from '../core/host/core-host-entry?modulePath';
import type { FromCoreHost, ToCoreHost } from '../../src-shared/api/core-host-protocol';
import type { WorkerChannel } from '../core/worker/worker-launcher';

export function startCoreHostProcess(): WorkerChannel<ToCoreHost, FromCoreHost> {
  const child = utilityProcess.fork(coreHostPath, [], { serviceName: 'DeepPose studio core', stdio: 'inherit' });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: FromCoreHost) => listener(message)),
    onExit: (listener) => child.on('exit', (code) => listener(code, null)),
    kill: () => {
      child.kill();
    },
  };
}
