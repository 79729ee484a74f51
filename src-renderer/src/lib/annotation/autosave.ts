// Saves without a save button: each key (one instance) holds only its latest wanted state,
// written `debounceMs` after the last edit. A failed write is kept, reported and retried
// with backoff until it succeeds or a newer state replaces it; nothing is dropped silently.
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface SaveFailure {
  key: string;
  message: string;
  attempts: number;
}

export interface AutosaveStatus {
  /** Keys with a state not yet confirmed written. */
  pending: number;
  failures: SaveFailure[];
}

export interface AutosaveOptions {
  debounceMs?: number;
  /** Delay before the n-th retry; the last one repeats. */
  retryDelaysMs?: number[];
  timers?: Timers;
  onChange?: (status: AutosaveStatus) => void;
}

interface Entry<P> {
  payload: P;
  version: number;
  timer: unknown;
  running: boolean;
  rerun: boolean;
  attempts: number;
  error: string | null;
}

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class AutosaveQueue<P> {
  private readonly entries = new Map<string, Entry<P>>();
  private readonly debounceMs: number;
  private readonly retryDelaysMs: number[];
  private readonly timers: Timers;
  private readonly onChange: (status: AutosaveStatus) => void;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly write: (key: string, payload: P) => Promise<void>,
    options: AutosaveOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 300;
    this.retryDelaysMs = options.retryDelaysMs ?? [500, 1000, 2000, 4000, 8000];
    this.timers = options.timers ?? realTimers;
    this.onChange = options.onChange ?? (() => {});
  }

  /** Wants `payload` written for `key`; replaces any state of that key not yet written. */
  schedule(key: string, payload: P): void {
    const entry = this.entries.get(key) ?? {
      payload,
      version: 0,
      timer: null,
      running: false,
      rerun: false,
      attempts: 0,
      error: null,
    };
    entry.payload = payload;
    entry.version++;
    this.entries.set(key, entry);
    this.arm(key, entry, this.debounceMs);
    this.changed();
  }

  /** The state still to be written for `key`, if any (so a reopened image shows it). */
  pendingPayload(key: string): P | undefined {
    return this.entries.get(key)?.payload;
  }

  /** Writes everything now instead of waiting for the debounce or the next retry. */
  flush(): void {
    for (const [key, entry] of this.entries) {
      if (entry.running) continue;
      this.arm(key, entry, 0);
    }
  }

  /** Resolves once every scheduled state has been written. */
  idle(): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get status(): AutosaveStatus {
    const failures: SaveFailure[] = [];
    for (const [key, entry] of this.entries)
      if (entry.error) failures.push({ key, message: entry.error, attempts: entry.attempts });
    return { pending: this.entries.size, failures };
  }

  private arm(key: string, entry: Entry<P>, ms: number): void {
    if (entry.timer !== null) this.timers.clear(entry.timer);
    entry.timer = this.timers.set(() => {
      entry.timer = null;
      void this.run(key, entry);
    }, ms);
  }

  private async run(key: string, entry: Entry<P>): Promise<void> {
    if (entry.running) {
      entry.rerun = true;
      return;
    }
    entry.running = true;
    const { version, payload } = entry;
    try {
      await this.write(key, payload);
      entry.attempts = 0;
      entry.error = null;
      if (entry.version === version) this.entries.delete(key);
    } catch (error) {
      entry.attempts++;
      entry.error = error instanceof Error ? error.message : String(error);
      // A newer state has its own timer; otherwise retry this one.
      if (entry.version === version)
        this.arm(key, entry, this.retryDelaysMs[Math.min(entry.attempts, this.retryDelaysMs.length) - 1]);
    } finally {
      entry.running = false;
      if (entry.rerun) {
        entry.rerun = false;
        if (entry.timer === null && this.entries.has(key)) void this.run(key, entry);
      }
      this.changed();
    }
  }

  private changed(): void {
    this.onChange(this.status);
    if (this.entries.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
