// Every metric of the field for one set of predictions, in one report: what training
// validation, prediction review and the CLI show.
import { pck, pckh, pdj, type DetectionRate, type PdjCurve } from './detection-rate';
import { pcp, type Limb, type PcpResult } from './pcp';
import { meanPixelError, type PixelError } from './pixel-error';
import type { Joints } from '../pose/pose-joints';

export interface EvaluationOptions {
  /** PCK threshold as a fraction of the torso diameter (0.2). */
  alpha?: number;
  /** Fractions of the torso diameter for the PDJ curve. */
  fractions?: number[];
  countOccluded?: boolean;
  torsoPairs?: [number, number][];
  /** Neck and head top, for PCKh@0.5; none (null) for a skeleton without a head segment. */
  headSegment?: [number, number] | null;
  limbs?: Limb[];
}

export interface PoseMetrics {
  examples: number;
  countOccluded: boolean;
  pck: DetectionRate & { alpha: number };
  /** PCKh@0.5, where the skeleton has a head segment. */
  pckh: (DetectionRate & { alpha: number }) | null;
  pcp: PcpResult;
  pdj: PdjCurve;
  meanPixelError: PixelError;
}

export const DEFAULT_PDJ_FRACTIONS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];

export function evaluatePoses(pred: Joints[], truth: Joints[], options: EvaluationOptions = {}): PoseMetrics {
  const countOccluded = options.countOccluded ?? true;
  const shared = { countOccluded, torsoPairs: options.torsoPairs };
  return {
    examples: truth.length,
    countOccluded,
    pck: pck(pred, truth, { ...shared, alpha: options.alpha }),
    pckh: options.headSegment ? pckh(pred, truth, options.headSegment, { countOccluded }) : null,
    pcp: pcp(pred, truth, { countOccluded, limbs: options.limbs }),
    pdj: pdj(pred, truth, options.fractions ?? DEFAULT_PDJ_FRACTIONS, shared),
    meanPixelError: meanPixelError(pred, truth, { countOccluded }),
  };
}
