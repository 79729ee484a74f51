// A PoseReport as terminal lines: the headline figures of the last stage against the
// mean-pose baseline, then one row per joint (PCK@0.2 after each stage, the baseline's, and
// the last stage's mean error), so that weak joints (wrists, ankles) show. `train` and
// `predict` print it.
import { perJointRows, type MetricSummary, type PoseReport } from '../../src-shared/training/pose-report';

const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? 'n/a' : `${(100 * value).toFixed(1)}%`;

function headline(summary: MetricSummary): string {
  const pckh = summary.pckh !== null ? ` · PCKh@0.5 ${pct(summary.pckh)}` : '';
  return `PCK@0.2 ${pct(summary.pck)}${pckh} · PCP@0.5 ${pct(summary.pcp)}`;
}

export function reportLines(report: PoseReport, what: string): string[] {
  const last = report.stages.at(-1);
  if (!last) return [];
  const stages =
    report.stages.length > 1 ? ` (stages: PCK@0.2 ${report.stages.map((s) => pct(s.pck)).join(' → ')})` : '';
  const lines = [`${what} (${last.examples} people): ${headline(last)}${stages}`];
  if (report.baseline) lines.push(`mean-pose baseline on the same people: ${headline(report.baseline)}`);
  const stageHeads = report.stages.map((_, s) => `stage ${s + 1}`);
  const width = Math.max(12, ...report.joints.map((j) => j.length));
  const cell = (text: string) => text.padStart(9);
  lines.push(
    `${'PCK@0.2 per joint'.padEnd(width)} ${stageHeads.map(cell).join('')}${cell('baseline')}${cell('error px')}`,
  );
  for (const row of perJointRows(report)) {
    lines.push(
      `${row.joint.padEnd(width)} ${row.stages.map((v) => cell(pct(v))).join('')}${cell(pct(row.baseline))}${cell(row.errorPx === null ? 'n/a' : row.errorPx.toFixed(1))}`,
    );
  }
  return lines;
}
