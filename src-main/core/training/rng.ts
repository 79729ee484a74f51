// Seeded randomness. Every random draw of a run comes from a stream derived from
// (seed, purpose, epoch, step), so a resumed run replays exactly what a straight run draws
// without having to carry a generator's internal state across processes.

/** mulberry32: small, fast, good enough for shuffling and augmentation. */
export class Rng {
  constructor(private state: number) {}

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A 31-bit integer, for seeding tfjs ops. */
  seed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }

  get snapshot(): number {
    return this.state;
  }
}

export type Purpose = 'shuffle' | 'augment' | 'dropout' | 'init' | 'simulate';
const purposeCodes: Record<Purpose, number> = { shuffle: 1, augment: 2, dropout: 3, init: 4, simulate: 5 };

/** A stream for one purpose at one point of the run. */
export function streamFor(seed: number, purpose: Purpose, ...counters: number[]): Rng {
  let h = mix(0x9e3779b9 ^ seed, purposeCodes[purpose]);
  for (const c of counters) h = mix(h, c);
  return new Rng(h);
}

function mix(h: number, value: number): number {
  h = Math.imul(h ^ value, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Fisher-Yates over 0..n-1. */
export function permutation(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
