// Parts every worker message schema shares (protocol.ts, suggest-protocol.ts).
import { z } from 'zod';

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * A number in a message between processes. Unlike z.number() it lets NaN and ±Infinity through:
 * a worker may honestly report them (a diverged loss, a rate over no time), and the receiver
 * decides what they mean, as it did before messages were checked.
 */
export const anyNumber = z.custom<number>((value) => typeof value === 'number', {
  error: (issue) => `expected number, received ${kindOf(issue.input)}`,
});

/** How any job ends when it cannot finish: training, prediction, calibration and suggest alike. */
export const FailedEvent = z.object({ type: z.literal('failed'), error: z.string() });
