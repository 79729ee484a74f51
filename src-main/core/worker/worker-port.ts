// The worker's side of the channel: Electron's utilityProcess gives `process.parentPort`,
// child_process.fork gives `process.send`. Worker code only sees this interface.
export interface WorkerPort<In = unknown, Out = unknown> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToHost<In, Out>(): WorkerPort<In, Out> {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as In)),
    };
  }
  if (!process.send) throw new Error('worker started without a host channel (neither utilityProcess nor fork)');
  return {
    send: (message) => process.send?.(message as never),
    onMessage: (listener) => process.on('message', (message) => listener(message as In)),
  };
}
