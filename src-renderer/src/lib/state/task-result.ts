// The line an ended task shows for what it made: the files an export wrote ("wrote a.onnx,
// a.stage-2.onnx in /p/exports"), so nothing appears silently on disk.
import type { Task } from '../../../../src-shared/api/tasks.contract';

function split(path: string): { folder: string; name: string } {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return { folder: at > 0 ? path.slice(0, at) : '', name: path.slice(at + 1) };
}

/** The files a task's result names (`files`, else `path`), or none. */
export function writtenFiles(result: unknown): string[] {
  if (!result || typeof result !== 'object') return [];
  const { files, path } = result as { files?: unknown; path?: unknown };
  if (Array.isArray(files) && files.every((f) => typeof f === 'string') && files.length) return files;
  return typeof path === 'string' ? [path] : [];
}

/** Only exports: an import's result names its source, which it did not write. */
export function taskResultLine(task: Pick<Task, 'kind' | 'state' | 'result'>): string | null {
  if (task.kind !== 'export' || task.state !== 'succeeded') return null;
  const files = writtenFiles(task.result).map(split);
  if (!files.length) return null;
  const folders = new Set(files.map((f) => f.folder));
  return folders.size === 1
    ? `wrote ${files.map((f) => f.name).join(', ')} in ${files[0].folder || '.'}`
    : `wrote ${files.map((f) => `${f.folder}/${f.name}`).join(', ')}`;
}
