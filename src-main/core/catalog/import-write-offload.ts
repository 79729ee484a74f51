// Runs an import's catalog write (one synchronous transaction) on a worker thread with its
// own connection, so the studio's event loop keeps answering calls while a large import
// lands. Small imports write inline: a thread costs more than their transaction.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StudioError, type ErrorKind } from '../../../src-shared/api/define';
import type { TaskContext } from '../tasks/task-manager';
import { bundleEntry } from '../worker/worker-launcher';
import type { Catalog } from './open-catalog';
import { writeImport, type ImportCounts, type ImportPlan } from './import-write';

/** From this many records the write goes to a thread (2,000 records held the loop ~150 ms). */
const THREAD_FROM = 256;

export type ThreadMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; counts: ImportCounts }
  | { type: 'error'; kind: ErrorKind | null; message: string; code?: string };

/** The built thread entry; from source (tests under tsx) a bootstrap registers tsx in the thread first. */
function startThread(workerData: unknown): Worker {
  const entry = bundleEntry('import-write-thread', 'src-main/core/catalog/import-write-thread.ts');
  if (entry.execArgv.length === 0) return new Worker(entry.path, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(entry.path).href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export async function writeImportPlan(catalog: Catalog, plan: ImportPlan, task: TaskContext): Promise<ImportCounts> {
  if (plan.ready.length < THREAD_FROM) {
    return writeImport(catalog, plan, (done, total) => {
      task.throwIfCancelled();
      task.progress(done, total, 'writing to the catalog');
    });
  }
  task.throwIfCancelled();
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => Atomics.store(cancel, 0, 1);
  task.signal.addEventListener('abort', onAbort);
  const thread = startThread({ dir: catalog.dir, plan, cancel });
  try {
    return await new Promise<ImportCounts>((resolve, reject) => {
      thread.on('message', (message: ThreadMessage) => {
        if (message.type === 'progress') task.progress(message.done, message.total, 'writing to the catalog');
        else if (message.type === 'done') resolve(message.counts);
        else
          reject(
            message.kind
              ? new StudioError(message.kind, message.message)
              : Object.assign(new Error(message.message), { code: message.code }),
          );
      });
      thread.on('error', reject);
      thread.on('exit', (code) => reject(new Error(`the catalog write thread ended early (code ${code})`)));
    });
  } finally {
    task.signal.removeEventListener('abort', onAbort);
    void thread.terminate();
  }
}
