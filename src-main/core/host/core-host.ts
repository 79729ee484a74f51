// The core host: the whole studio (catalog, services, dispatcher) in a process of its own,
// so imports, exports, sample generation, ONNX export and thumbnails never hold up the
// desktop's main process, which only relays IPC here. One 'init' creates the studio; calls
// and media requests are answered by id; every bus event is forwarded.
import type { FromCoreHost, ToCoreHost } from '../../../src-shared/api/core-host-protocol';
import type { Envelope } from '../../../src-shared/api/define';
import { StudioError } from '../../../src-shared/api/define';
import { createStudio, type Studio } from '../studio';
import { resolveMedia } from '../media/media-request';
import type { WorkerPort } from '../worker/worker-port';
import { relayedLauncher } from './relayed-launcher';

export function serveCoreHost(port: WorkerPort<ToCoreHost, FromCoreHost>, onClosed: () => void): void {
  const workers = relayedLauncher((message) => port.send(message));
  let studio: Studio | null = null;

  const notStarted: Envelope<unknown> = {
    ok: false,
    error: { kind: 'internal', message: 'the studio core has not started' },
  };

  port.onMessage(async (message) => {
    switch (message.type) {
      case 'init':
        if (studio) return;
        studio = createStudio({ home: message.home, door: message.door, launchWorker: workers.launcher });
        studio.context.bus.subscribe((name, payload) => port.send({ type: 'event', name, payload }));
        port.send({ type: 'ready' });
        return;
      case 'call':
        port.send({
          type: 'reply',
          id: message.id,
          envelope: studio ? await studio.dispatch(message.channel, message.input) : notStarted,
        });
        return;
      case 'media': {
        if (!studio) return port.send({ type: 'reply', id: message.id, envelope: notStarted });
        const envelope: Envelope<unknown> = await resolveMedia(studio.context, message.path, message.variant).then(
          (value) => ({ ok: true, value }),
          (error: unknown) => ({
            ok: false,
            error: { kind: error instanceof StudioError ? error.kind : 'internal', message: (error as Error).message },
          }),
        );
        port.send({ type: 'reply', id: message.id, envelope });
        return;
      }
      case 'worker.started':
        return workers.started(message.workerId, message.pid);
      case 'worker.message':
        return workers.message(message.workerId, message.message);
      case 'worker.exit':
        return workers.exited(message.workerId, message.code, message.signal);
      case 'close':
        // Runs stop with a checkpoint; their workers still reach us through main meanwhile.
        await studio?.close();
        port.send({ type: 'closed' });
        onClosed();
        return;
    }
  });
}
