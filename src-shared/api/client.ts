import { ApiError } from './define';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from './contract';
import type { ConnectionState, MediaVariant, Transport } from './transport';

export interface ApiClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  mediaUrl(absolutePath: string, variant?: MediaVariant): string;
  /** Connection lost and restored (never called for doors that cannot drop). */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** The typed client over any transport; failed calls become ApiError with main's message. */
export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(name, input) {
      const envelope = await transport.invoke(name, input);
      if (!envelope.ok) throw new ApiError(envelope.error.kind, envelope.error.message, name);
      return envelope.value as never;
    },
    on(event, listener) {
      return transport.onEvent((name, payload) => {
        if (name === event) listener(payload as never);
      });
    },
    mediaUrl(absolutePath, variant = 'full') {
      return transport.mediaUrl(absolutePath, variant);
    },
    onConnection(listener) {
      return transport.onConnection?.(listener) ?? (() => undefined);
    },
  };
}
