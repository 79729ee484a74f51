export { formatDuration } from '../../../src-shared/format';

/** "1 person", "3 persons": a count with its noun, never "1 persons". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
