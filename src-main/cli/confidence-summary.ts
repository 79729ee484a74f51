// `deeppose predict`'s lines about the confidence proxies: what the flip check cost, and the
// pictures to look at first (highest doubt), so a folder nobody labeled can be reviewed
// worst-first from the terminal too. The figures come in the task's report.
import type { FilePredictionReport } from '../../src-shared/api/file-jobs.contract';

export function confidenceSummary(
  doubt: FilePredictionReport['doubt'],
  flipMsPerImage: { mean: number } | null,
): string[] {
  if (!doubt) return [];
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `${doubt.what} (% of the view's side; higher = less sure, not an error): median ${pct(doubt.median)}; least confident: ${doubt.worst.map((w) => `${w.name} ${pct(w.doubt)}`).join(', ')}`,
  ];
  if (flipMsPerImage)
    lines.unshift(`flip check: +${flipMsPerImage.mean.toFixed(2)} ms/image (--no-flip-check to skip it)`);
  return lines;
}
