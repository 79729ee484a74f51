import type { EventName, EventPayload } from '../../../src-shared/api/contract';

type Listener = (name: EventName, payload: unknown) => void;

/** Fan-out of API events to every connected door (IPC windows, WebSocket clients, CLI). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
