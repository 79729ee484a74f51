// An evaluation's figures as stored with a run and shown by the Train view and the CLI: per
// cascade stage and for the mean-pose baseline (src-main/core/metrics/pose-report.ts makes it).
import { z } from 'zod';

const rate = z.number().nullable();

export const MetricSummary = z.object({
  examples: z.number(),
  /** PCK@0.2 of LSP's torso (left shoulder – right hip), strict `<`. */
  pck: rate,
  pckPerJoint: z.array(rate),
  /** PCKh@0.5 of the head segment (neck – head top); null where the skeleton has none. */
  pckh: rate,
  pckhPerJoint: z.array(rate).nullable(),
  /** PCP@0.5: both ends of a limb within half its true length. */
  pcp: rate,
  pcpPerLimb: z.array(z.object({ name: z.string(), value: rate })),
  /** PDJ: PCK at each fraction of the torso diameter. */
  pdj: z.array(z.object({ fraction: z.number(), value: rate })),
  meanErrorPx: rate,
  meanErrorPerJoint: z.array(rate),
});
export type MetricSummary = z.infer<typeof MetricSummary>;

export const PoseReport = z.object({
  /** 'lsp': the definitions README's "Metrics" gives. */
  convention: z.string(),
  alpha: z.number(),
  joints: z.array(z.string()),
  /** One summary per cascade stage, stage 1 first. */
  stages: z.array(MetricSummary),
  baseline: MetricSummary.nullable(),
});
export type PoseReport = z.infer<typeof PoseReport>;

/** Per joint: the rows a per-joint table shows (PCK@0.2 after each stage, the baseline's, mean error of the last stage). */
export function perJointRows(
  report: PoseReport,
): { joint: string; stages: (number | null)[]; baseline: number | null; errorPx: number | null }[] {
  const last = report.stages.at(-1);
  return report.joints.map((joint, j) => ({
    joint,
    stages: report.stages.map((s) => s.pckPerJoint[j] ?? null),
    baseline: report.baseline?.pckPerJoint[j] ?? null,
    errorPx: last?.meanErrorPerJoint[j] ?? null,
  }));
}
