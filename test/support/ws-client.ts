// A Node-side client of the serve door: the renderer's own typed API client over a
// WebSocket authenticated as a script would be (Bearer token), for tests that prepare
// data the way the browser would.
import WebSocket from 'ws';
import { createApiClient, type ApiClient } from '../../src-shared/api/client';
import type { Envelope } from '../../src-shared/api/define';
import assert from 'node:assert/strict';
import type { Task } from '../../src-shared/api/tasks.contract';
import type { ProjectSummary } from '../../src-shared/domain/project';

export interface TestApi extends ApiClient {
  /** Waits for a task to end and returns it. */
  finish(taskId: string, timeoutMs?: number): Promise<Task>;
  close(): void;
}

export async function connectApi(door: { origin: string; token: string }): Promise<TestApi> {
  const socket = new WebSocket(`${door.origin.replace('http', 'ws')}/api`, {
    headers: { Authorization: `Bearer ${door.token}` },
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if ('event' in message) for (const listener of listeners) listener(message.event, message.payload);
    else {
      pending.get(message.id)?.(message.envelope);
      pending.delete(message.id);
    }
  });
  const client = createApiClient({
    invoke: (channel, input) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, input }));
      }),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaUrl: (path) => path,
  });
  return {
    ...client,
    finish: (taskId, timeoutMs = 300_000) =>
      waitUntil(
        `task ${taskId}`,
        async () => {
          const task = await client.call('tasks.get', { id: taskId });
          return task.state !== 'running' && task;
        },
        timeoutMs,
      ),
    close: () => socket.close(),
  };
}

/** Waits for a task to end and fails the test, naming `what`, unless it succeeded. */
export async function finishedTask(api: TestApi, taskId: string, what: string): Promise<Task> {
  const task = await api.finish(taskId);
  assert.equal(task.state, 'succeeded', `${what}: ${task.error ?? task.state}`);
  return task;
}

/** A sample project made through the door (projects.createSample); its path. */
export async function sampleProject(
  api: TestApi,
  request: { folder: string; name: string; count: number; seed: number },
): Promise<string> {
  const { taskId } = await api.call('projects.createSample', request);
  return ((await finishedTask(api, taskId, 'the sample project')).result as ProjectSummary).path;
}

/** Polls `probe` until it returns something truthy. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A new LSP-14 project holding the images of `folder`, made through a running door's API as the page would. */
export async function createProjectWithImages(
  door: { origin: string; token: string },
  project: string,
  name: string,
  folder: string,
): Promise<void> {
  const api = await connectApi(door);
  try {
    await api.call('projects.create', { folder: project, name, skeleton: { preset: 'lsp14' } });
    const { taskId } = await api.call('datasets.import', { project, format: 'folder', path: folder });
    const task = await api.finish(taskId);
    if (task.state !== 'succeeded') throw new Error(`importing ${folder}: ${task.state} (${task.error ?? 'no error'})`);
  } finally {
    api.close();
  }
}
