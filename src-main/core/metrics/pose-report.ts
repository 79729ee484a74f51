// One evaluation as the papers report it, per cascade stage and per joint, small enough to be
// stored with a run and printed by the CLI: PCK@0.2 (LSP's torso), PCKh@0.5 (where the skeleton
// has a head segment), PCP@0.5 per limb, the PDJ curve and the mean pixel error, for the
// model's every stage and for the mean-pose baseline. README's "Metrics" defines each.
import type { Skeleton } from '../../../src-shared/domain/skeleton';
import type { MetricSummary, PoseReport } from '../../../src-shared/training/pose-report';
import { LSP14 } from '../../../src-shared/domain/skeleton';
import { DEFAULT_PDJ_FRACTIONS, evaluatePoses, type EvaluationOptions, type PoseMetrics } from './evaluate-poses';
import { LSP_LIMBS, type Limb } from './pcp';
import { headSegmentFor, torsoPairsFor, type Joints } from '../pose/pose-joints';

/** Which definitions a stored figure used: 'lsp' (left shoulder–right hip, `<`); older runs 'rshoulder-lhip-le'. */
export const METRIC_CONVENTION = 'lsp';

/** The paper's ten LSP limbs for the LSP skeleton; otherwise each bone of the skeleton. */
export function limbsFor(skeleton: Skeleton): Limb[] {
  if (JSON.stringify(skeleton.joints) === JSON.stringify(LSP14.joints)) return LSP_LIMBS;
  return skeleton.edges.map(([a, b]) => ({ name: `${skeleton.joints[a]} – ${skeleton.joints[b]}`, ends: [[a], [b]] }));
}

/** Every metric's options for a skeleton: its torso pairs (LSP's order), head segment and limbs. */
export function evaluationOptionsFor(skeleton: Skeleton, countOccluded = true): EvaluationOptions {
  const torsoPairs = torsoPairsFor(skeleton);
  return {
    alpha: 0.2,
    countOccluded,
    torsoPairs: torsoPairs.length ? torsoPairs : undefined,
    headSegment: headSegmentFor(skeleton),
    limbs: limbsFor(skeleton),
    fractions: DEFAULT_PDJ_FRACTIONS,
  };
}

export function summarize(metrics: PoseMetrics): MetricSummary {
  return {
    examples: metrics.examples,
    pck: metrics.pck.mean,
    pckPerJoint: metrics.pck.perJoint,
    pckh: metrics.pckh?.mean ?? null,
    pckhPerJoint: metrics.pckh?.perJoint ?? null,
    pcp: metrics.pcp.mean,
    pcpPerLimb: metrics.pcp.perLimb.map((l) => ({ name: l.name, value: l.value })),
    pdj: metrics.pdj.fractions.map((fraction, k) => ({ fraction, value: metrics.pdj.rates[k].mean })),
    meanErrorPx: metrics.meanPixelError.mean,
    meanErrorPerJoint: metrics.meanPixelError.perJoint,
  };
}

const asPrediction = (joints: [number, number][]): Joints => joints.map(([x, y]) => [x, y, 2]);

/**
 * `stages[s][i]`: example i's joints after stage s+1 (image pixels); `baseline[i]` the
 * mean-pose baseline's. Truth joints carry the catalog's visibility.
 */
export function poseReport(input: {
  skeleton: Skeleton;
  truth: Joints[];
  stages: [number, number][][][];
  baseline: Joints[] | null;
  countOccluded?: boolean;
}): PoseReport {
  const options = evaluationOptionsFor(input.skeleton, input.countOccluded ?? true);
  return {
    convention: METRIC_CONVENTION,
    alpha: 0.2,
    joints: input.skeleton.joints,
    stages: input.stages.map((stage) =>
      summarize(
        evaluatePoses(
          stage.map((joints) => asPrediction(joints)),
          input.truth,
          options,
        ),
      ),
    ),
    baseline: input.baseline ? summarize(evaluatePoses(input.baseline, input.truth, options)) : null,
  };
}
