// What a pose regressor can say about its own doubt without labels. A regressor gives no
// per-joint confidence, so the studio measures two proxies at prediction time (see README,
// "Predict"): both are distances as a fraction of the side of the square the model first
// looked at (the person box's square, else the picture's longer side), 0 = no doubt seen, and
// neither is an error — a confidently wrong prediction scores low on both.
import { z } from 'zod';

export const ConfidenceProxies = z.object({
  /**
   * Flip disagreement: the mirrored picture is predicted too, its joints mirrored back (left and
   * right swapped), and each joint's distance to the prediction taken. Mean over joints; null
   * when the flip check was off (or the prediction is from before it existed).
   */
  flip: z.number().nullable(),
  flipPerJoint: z.array(z.number()).nullable(),
  /** How far the cascade's last stage moved each joint from the stage before; null for a one-stage model. */
  correction: z.number().nullable(),
  correctionPerJoint: z.array(z.number()).nullable(),
});
export type ConfidenceProxies = z.infer<typeof ConfidenceProxies>;

export const NO_PROXIES: ConfidenceProxies = {
  flip: null,
  flipPerJoint: null,
  correction: null,
  correctionPerJoint: null,
};

/**
 * The number "least confident first" sorts by, higher = less sure: the flip disagreement (its
 * rank correlation with the true error was the higher one measured, README "Predict"); the
 * last correction where the flip check was off.
 */
export function doubtOf(proxies: ConfidenceProxies): number | null {
  return proxies.flip ?? proxies.correction;
}

/** Per joint, the same choice as doubtOf. */
export function jointDoubtOf(proxies: ConfidenceProxies): number[] | null {
  return proxies.flipPerJoint ?? proxies.correctionPerJoint;
}
