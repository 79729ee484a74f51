// What a suggester (a pretrained pose model, later a trained run) proposes for one image: one
// person per detection, with its box and, per joint of the project's skeleton, a position and
// the model's score, or null where the model was too unsure to place it. Suggestions are not
// labels until a person accepts them. Schemas, because suggest workers send these to the host.
import { z } from 'zod';
import { anyNumber } from '../training/message-parts';

export const SuggestedJoint = z.object({
  x: anyNumber,
  y: anyNumber,
  /** The model's confidence in [0, 1]. */
  score: anyNumber,
});
export type SuggestedJoint = z.infer<typeof SuggestedJoint>;

export const SuggestedPerson = z.object({
  /** [x, y, width, height] in image pixels. */
  box: z.tuple([anyNumber, anyNumber, anyNumber, anyNumber]),
  /** The detection's score in [0, 1]. */
  score: anyNumber,
  /** One per skeleton joint, in its order; null = unplaced (below the threshold or not derivable). */
  joints: z.array(SuggestedJoint.nullable()),
});
export type SuggestedPerson = z.infer<typeof SuggestedPerson>;

/** The default joint score below which a suggested joint stays unplaced. */
export const DEFAULT_SUGGEST_THRESHOLD = 0.3;
/** The default detection score below which a person is not suggested. */
export const DEFAULT_PERSON_THRESHOLD = 0.2;
