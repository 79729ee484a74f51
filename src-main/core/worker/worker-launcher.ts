// Starts the training/inference worker. The desktop door swaps in Electron's
// utilityProcess; serve and the CLI use child_process.fork. Both carry the same messages.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withRetainedMemory } from '../backends/retained-memory';
import { findPackageRoot } from '../files/package-root';

export interface WorkerChannel<Out = unknown, In = unknown> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
  readonly pid: number | undefined;
}

export type WorkerLauncher = (entry: WorkerEntry) => WorkerChannel;

export interface WorkerEntry {
  path: string;
  /** Node flags needed to run it (tsx for the TypeScript source in tests). */
  execArgv: string[];
}

/** The worker bundle next to this build, or the TypeScript source when running under tsx. */
export function workerEntry(): WorkerEntry {
  return bundleEntry('worker', 'src-main/core/worker-entry.ts');
}

/** A process entry: out/main/<bundle>.js in a build, its TypeScript source (root-relative) under tsx. */
export function bundleEntry(bundle: string, source: string): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const root = findPackageRoot(dirname(here));
  const built = join(root, 'out', 'main', `${bundle}.js`);
  if (!here.endsWith('.ts') && existsSync(built)) return { path: built, execArgv: [] };
  return { path: join(root, ...source.split('/')), execArgv: ['--import', 'tsx'] };
}

export const forkLauncher: WorkerLauncher = (entry) => {
  const child = fork(entry.path, [], {
    execArgv: entry.execArgv,
    env: withRetainedMemory(),
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message as never);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message)),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    kill: (signal = 'SIGTERM') => child.kill(signal),
  };
};
