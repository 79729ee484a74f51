// Every message that comes in from another process (a worker's events at the host, the host's
// request in a worker) is checked against its schema here, where it arrives: a malformed one
// becomes one line naming its type and the field, never a value trusted by its TypeScript type.
import type { z } from 'zod';

export type Checked<T> = { ok: true; message: T } | { ok: false; error: string };

/** `from` names the sender in the refusal: "the training worker", "the host". */
export function checkMessage<S extends z.ZodType>(schema: S, message: unknown, from: string): Checked<z.output<S>> {
  const parsed = schema.safeParse(message);
  return parsed.success
    ? { ok: true, message: parsed.data }
    : { ok: false, error: refusal(parsed.error, message, from) };
}

function refusal(error: z.ZodError, message: unknown, from: string): string {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (typeof type !== 'string')
    return `${from} sent a message without a type (${error.issues[0]?.message ?? 'not an object'})`;
  const issue = error.issues[0];
  if (!issue) return `${from} sent an invalid '${type}' message`;
  if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'type')
    return `${from} sent a message of unknown type '${type}'`;
  return `${from} sent an invalid '${type}' message: ${fieldName(issue.path) ?? 'the message'}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

/** ['samples', 0, 'joints'] as samples[0].joints. */
function fieldName(path: readonly PropertyKey[]): string | null {
  if (!path.length) return null;
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('');
}
