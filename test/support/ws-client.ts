// A Node-side client of the serve door's WebSocket API, for tests that prepare data the
// way the browser would (same token, same envelopes).
import WebSocket from 'ws';
import type { CallInput, CallName, CallOutput } from '../../src-shared/api/contract';
import type { Envelope } from '../../src-shared/api/define';
import type { Task } from '../../src-shared/api/tasks.contract';

export interface WsApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  finish(taskId: string, timeoutMs?: number): Promise<Task>;
  close(): void;
}

export async function connectApi(origin: string, token: string): Promise<WsApi> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if ('id' in message) {
      pending.get(message.id)?.(message.envelope);
      pending.delete(message.id);
    }
  });
  let nextId = 1;
  async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const id = nextId++;
    const envelope = await new Promise<Envelope<unknown>>((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel: name, input }));
    });
    if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
    return envelope.value as CallOutput<N>;
  }
  async function finish(taskId: string, timeoutMs = 300_000): Promise<Task> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = await call('tasks.get', { id: taskId });
      if (task.state !== 'running') return task;
      if (Date.now() > deadline) throw new Error(`task '${task.title}' still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { call, finish, close: () => ws.close() };
}
