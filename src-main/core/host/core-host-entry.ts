// Entry of the core host process (Electron utilityProcess on the desktop; child_process.fork
// in tests). Built as its own file: utilityProcess.fork needs a path on disk.
import { connectToHost } from '../worker/worker-port';
import { serveCoreHost } from './core-host';
import type { FromCoreHost, ToCoreHost } from '../../../src-shared/api/core-host-protocol';

serveCoreHost(connectToHost<ToCoreHost, FromCoreHost>(), () => {
  // Let the 'closed' message leave before the process ends.
  setTimeout(() => process.exit(0), 100);
});
