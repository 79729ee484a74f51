// Thread entry: opens the project's catalog on its own connection and writes one import
// plan (see import-write-offload.ts). Cancelling sets a shared flag; the transaction then
// rolls back and nothing of the import lands.
import { parentPort, workerData } from 'node:worker_threads';
import { StudioError } from '../../../src-shared/api/define';
import { openCatalog } from './open-catalog';
import { writeImport, type ImportPlan } from './import-write';
import type { ThreadMessage } from './import-write-offload';

const { dir, plan, cancel } = workerData as { dir: string; plan: ImportPlan; cancel: Int32Array };
const send = (message: ThreadMessage) => parentPort!.postMessage(message);

try {
  const catalog = openCatalog(dir);
  try {
    const counts = writeImport(catalog, plan, (done, total) => {
      if (Atomics.load(cancel, 0)) throw new StudioError('cancelled', 'import: cancelled');
      send({ type: 'progress', done, total });
    });
    send({ type: 'done', counts });
  } finally {
    catalog.db.close();
  }
} catch (error) {
  const kind = error instanceof StudioError ? error.kind : null;
  send({ type: 'error', kind, message: (error as Error).message, code: (error as NodeJS.ErrnoException).code });
}
