// Turns one raw request (channel name + untrusted input) into an envelope: the channel
// must be declared, the input must match its schema, errors keep their kind.
import { z } from 'zod';
import { calls, isCallName, type CallName, type CallOutput, type ParsedInput } from '../../../src-shared/api/contract';
import { StudioError, type Envelope } from '../../../src-shared/api/define';
import { diskProblemOf } from '../files/io-errors';

export type Handlers = {
  [N in CallName]: (input: ParsedInput<N>) => Promise<CallOutput<N>> | CallOutput<N>;
};

/** The handlers of one domain's calls, as its `*.contract.ts` declares them: a call added there is missing here until handled. */
export type HandlersOf<DomainCalls> = Pick<Handlers, keyof DomainCalls & CallName>;

export type Dispatch = (channel: unknown, input: unknown) => Promise<Envelope<unknown>>;

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `argument '${issue.path.join('.')}'` : 'arguments';
      return `invalid ${where}: ${issue.message}`;
    })
    .join('; ');
}

export function createDispatcher(
  handlers: Handlers,
  onInternalError: (channel: string, error: unknown) => void = () => {},
): Dispatch {
  return async (channel, rawInput) => {
    if (!isCallName(channel)) {
      return { ok: false, error: { kind: 'not-found', message: `unknown API call '${String(channel)}'` } };
    }
    const parsed = calls[channel].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { kind: 'invalid-argument', message: `${channel}: ${describeZodError(parsed.error)}` },
      };
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof StudioError) return { ok: false, error: { kind: error.kind, message: error.message } };
      // A name longer than the filesystem takes is the caller's input, not the studio's fault.
      if ((error as NodeJS.ErrnoException)?.code === 'ENAMETOOLONG') {
        return {
          ok: false,
          error: {
            kind: 'bad-input',
            message: `${channel}: a path is too long for the filesystem (a folder or file name above 255 bytes, or the whole path above 4096)`,
          },
        };
      }
      // A full or read-only disk is the machine's state, not a bug: one line naming the place, no stack.
      const disk = diskProblemOf(error);
      if (disk) return { ok: false, error: { kind: 'bad-input', message: `${placeOf(error) ?? channel}: ${disk}` } };
      onInternalError(channel, error);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { kind: 'internal', message: `${channel} failed: ${message}` } };
    }
  };
}

/** The file a Node I/O error was about, if it says. */
function placeOf(error: unknown): string | null {
  const { path, dest } = (error ?? {}) as { path?: unknown; dest?: unknown };
  return typeof dest === 'string' ? dest : typeof path === 'string' ? path : null;
}
