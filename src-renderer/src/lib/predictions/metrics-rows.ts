// The metrics panel's tables and PCK curve, from 'predictions.metrics' and the skeleton.
import type { Prediction, PredictionMetrics } from '../../../../src-shared/api/predictions.contract';
import { jointDoubtOf } from '../../../../src-shared/domain/confidence';

export interface JointMetricRow {
  joint: number;
  name: string;
  pck: number | null;
  meanErrorPx: number | null;
  /** The mean-pose baseline's figures for the joint, where it could be fitted. */
  baselinePck: number | null;
  baselineErrorPx: number | null;
}

export function jointMetricRows(metrics: PredictionMetrics, jointNames: readonly string[]): JointMetricRow[] {
  return jointNames.map((name, joint) => ({
    joint,
    name,
    pck: metrics.pckPerJoint[joint] ?? null,
    meanErrorPx: metrics.meanPixelErrorPerJoint[joint] ?? null,
    baselinePck: metrics.baselinePckPerJoint?.[joint] ?? null,
    baselineErrorPx: metrics.baselinePixelErrorPerJoint?.[joint] ?? null,
  }));
}

/** Mean of the per-joint pixel errors that exist (the model's, or the baseline's); null when no joint has one. */
export function meanOfJointErrors(
  rows: readonly JointMetricRow[],
  of: 'meanErrorPx' | 'baselineErrorPx' = 'meanErrorPx',
): number | null {
  const values = rows.map((r) => r[of]).filter((v): v is number => v != null);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** uPlot columns: threshold, model PCK % and baseline PCK % (null where the baseline is unknown). */
export function pckCurveColumns(curve: PredictionMetrics['curve']): [number[], (number | null)[], (number | null)[]] {
  const points = [...curve].sort((a, b) => a.threshold - b.threshold);
  return [
    points.map((p) => p.threshold),
    points.map((p) => p.pck * 100),
    points.map((p) => (p.baseline == null ? null : p.baseline * 100)),
  ];
}

export interface JointErrorRow {
  joint: number;
  name: string;
  predicted: readonly [number, number] | null;
  /** The label, when the joint is labeled (visibility 1 or 2). */
  label: readonly [number, number, number] | null;
  errorPx: number | null;
  /** The joint's flip disagreement (or last correction without the flip check), a fraction of the view's side. */
  doubt: number | null;
}

/** One image's joints side by side: prediction, label, the distance between them and the joint's doubt. */
export function jointErrorRows(prediction: Prediction, jointNames: readonly string[]): JointErrorRow[] {
  return jointNames.map((name, joint) => {
    const label = prediction.truth?.[joint];
    return {
      joint,
      name,
      predicted: prediction.joints[joint] ?? null,
      label: label && label[2] > 0 ? label : null,
      errorPx: prediction.perJointErrorPx?.[joint] ?? null,
      doubt: jointDoubtOf(prediction.confidence)?.[joint] ?? null,
    };
  });
}

export function formatPx(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : `${value.toFixed(1)} px`;
}

/** A confidence proxy (a fraction of the view's side), in percent, as the thumbnails and the detail show it. */
export function formatDoubt(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`;
}

export function formatPercent(fraction: number | null | undefined): string {
  return fraction == null || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(1)}%`;
}
