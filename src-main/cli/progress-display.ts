// Progress for long CLI jobs: a redrawn bar with ETA on a terminal, plain lines (at most
// one every few seconds) when stdout is a file or a pipe.
import { formatDuration } from '../../src-shared/format';

const PLAIN_INTERVAL_MS = 3000;
const BAR_WIDTH = 28;

export class ProgressDisplay {
  private lastPlain = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {}

  update(current: number, total: number | null, detail: string, etaSeconds: number | null = null): void {
    const fraction = total ? Math.min(1, current / total) : null;
    const eta = etaSeconds !== null ? ` · ETA ${formatDuration(etaSeconds)}` : '';
    if (this.stream.isTTY) {
      const bar =
        fraction === null
          ? ''
          : `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      const line = `${this.label} ${bar}${detail}${eta}`;
      this.stream.write(
        `\r${line.slice(0, (this.stream.columns ?? 120) - 1).padEnd((this.stream.columns ?? 120) - 1)}`,
      );
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain < PLAIN_INTERVAL_MS) return;
    this.lastPlain = now;
    this.stream.write(`${this.label}: ${total ? `${current}/${total} ` : ''}${detail}${eta}\n`);
  }

  /** Prints a line of its own without tearing the bar. */
  log(line: string): void {
    this.end();
    this.stream.write(`${line}\n`);
  }

  end(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
