// A training setting's refusal in the user's words ("must be greater than 0"), for the Train
// view's form and the CLI's flags alike; the subject (a label or a flag) is the caller's.
import type { z } from 'zod';

export { MAX_BATCH_SIZE } from './config';

type Issue = z.core.$ZodIssue;

/** What is wrong with the value, as a predicate: "must be a whole number". */
export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      return issue.inclusive
        ? `must be at least ${String(issue.minimum)}`
        : `must be greater than ${String(issue.minimum)}`;
    case 'too_big':
      return issue.inclusive
        ? `must be at most ${String(issue.maximum)}`
        : `must be less than ${String(issue.maximum)}`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'number') return 'must be a number';
      if (issue.expected === 'boolean') return 'must be on or off';
      return 'is required';
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return 'is not valid';
  }
}

/** "Learning rate must be greater than 0", or null when the field takes the value. */
export function settingProblem(field: z.ZodType, value: unknown, subject: string): string | null {
  const result = field.safeParse(value);
  if (result.success) return null;
  return `${subject} ${describeIssue(result.error.issues[0])}`;
}

/** Adam wants a smaller step than SGD: 0.01 (the paper's SGD rate) makes it diverge; 0.001 is the reference's. */
export function defaultLearningRate(optimizer: 'MomentumSGD' | 'Adam', schemaDefault: number): number {
  return optimizer === 'Adam' ? 0.001 : schemaDefault;
}
