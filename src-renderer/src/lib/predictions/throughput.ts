// Images per second of a running prediction, from the task's progress updates over the last
// few seconds (a rate since the start would hide a slowdown).
export class ThroughputMeter {
  private samples: Array<{ time: number; count: number }> = [];

  constructor(private readonly windowMs = 5000) {}

  add(timeMs: number, count: number): void {
    const last = this.samples.at(-1);
    // Progress going backwards means a new task: start over.
    if (last && count < last.count) this.samples = [];
    if (last && count === last.count) return;
    this.samples.push({ time: timeMs, count });
    while (this.samples.length > 2 && timeMs - this.samples[0].time > this.windowMs) this.samples.shift();
  }

  /** Images per second across the window; null until two updates are apart in time. */
  rate(): number | null {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.time <= first.time) return null;
    return (last.count - first.count) / ((last.time - first.time) / 1000);
  }
}
