// Building blocks of the one API declaration: every call names its input and output
// schema once; main validates with them, the clients are typed from them.
import type { z } from 'zod';

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): CallSpec<I, O> {
  return { input, output, summary };
}

export type ErrorKind =
  'invalid-argument' | 'not-found' | 'bad-input' | 'conflict' | 'cancelled' | 'forbidden' | 'internal';

export interface ApiErrorBody {
  kind: ErrorKind;
  message: string;
}

/** What crosses every transport: a value, or an error the client turns back into an Error. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** Error thrown by domain code with a kind the client can act on. */
export class StudioError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

/** The renderer-side Error for a failed call. */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly channel: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
