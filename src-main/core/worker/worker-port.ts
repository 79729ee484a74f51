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
    // A parent killed mid-job closes the channel: sending is then skipped, and an error of a send
    // already under way goes to the callback rather than an ERR_IPC_CHANNEL_CLOSED stack trace.
    send: (message) => {
      if (process.connected) process.send?.(message as never, undefined, {}, () => {});
    },
    onMessage: (listener) => {
      process.on('message', (message) => listener(message as In));
      // With no one left to report to, the job is asked to stop as the host would (a run keeps its checkpoint).
      process.once('disconnect', () => listener({ type: 'stop' } as In));
    },
  };
}
