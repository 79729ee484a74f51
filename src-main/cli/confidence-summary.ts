// `deeppose predict`'s lines about the confidence proxies: what the flip check cost, and the
// pictures to look at first (highest doubt), so a folder nobody labeled can be reviewed
// worst-first from the terminal too.
import { basename } from 'node:path';
import { doubtOf, type ConfidenceProxies } from '../../src-shared/domain/confidence';

const SHOWN = 3;

export function confidenceSummary(
  rows: { imagePath: string; confidence?: ConfidenceProxies }[],
  flipMsPerImage: { mean: number } | null,
): string[] {
  const scored = rows.flatMap((r) => {
    const doubt = r.confidence ? doubtOf(r.confidence) : null;
    return doubt === null ? [] : [{ name: basename(r.imagePath), doubt }];
  });
  if (scored.length === 0) return [];
  const what = rows.some((r) => r.confidence?.flip != null) ? 'flip disagreement' : 'last cascade correction';
  const sorted = scored.map((s) => s.doubt).sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const worst = [...scored].sort((a, b) => b.doubt - a.doubt || a.name.localeCompare(b.name)).slice(0, SHOWN);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `${what} (% of the view's side; higher = less sure, not an error): median ${pct(median)}; least confident: ${worst.map((w) => `${w.name} ${pct(w.doubt)}`).join(', ')}`,
  ];
  if (flipMsPerImage)
    lines.unshift(`flip check: +${flipMsPerImage.mean.toFixed(2)} ms/image (--no-flip-check to skip it)`);
  return lines;
}
