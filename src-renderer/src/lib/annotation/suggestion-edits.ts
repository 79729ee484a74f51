// Suggested people in the workspace: shown beside the labels (drawn hollow and dashed),
// accepted joint by joint (a drag or a click on a suggested joint puts it, where it is
// dropped, into the person the suggestion stands for) or all at once. Each is one ImageLabels
// snapshot, so every acceptance is one undo step; only accepted joints are ever saved.
import type { Visibility } from '../../../../src-shared/domain/keypoint';
import { addInstance, emptyInstance, findInstance, placeJoint, type ImageLabels, type SuggestionView } from './labels';

export function showSuggestions(labels: ImageLabels, suggestions: readonly SuggestionView[]): ImageLabels {
  return { ...labels, suggestions };
}

/** The suggestion's person, made (empty, with the suggested box) the first time one of its joints is accepted. */
function withPersonOf(labels: ImageLabels, suggestion: SuggestionView, jointCount: number): ImageLabels {
  if (findInstance(labels, suggestion.instanceKey)) return labels;
  return addInstance(labels, { ...emptyInstance(suggestion.instanceKey, jointCount), box: suggestion.box });
}

/** Drops accepted joints from their suggestion, and a suggestion with none left. */
function withoutJoint(
  suggestions: readonly SuggestionView[],
  instanceKey: string,
  joint: number | 'all',
): SuggestionView[] {
  return suggestions
    .map((s) =>
      s.instanceKey !== instanceKey
        ? s
        : {
            ...s,
            joints: joint === 'all' ? s.joints.map(() => null) : s.joints.map((j, i) => (i === joint ? null : j)),
          },
    )
    .filter((s) => s.joints.some(Boolean));
}

/** Accepts one suggested joint at (x, y) (where a drag dropped it; its own place for a click). */
export function acceptSuggestedJoint(
  labels: ImageLabels,
  instanceKey: string,
  joint: number,
  x: number,
  y: number,
  jointCount: number,
): ImageLabels | null {
  const suggestion = labels.suggestions?.find((s) => s.instanceKey === instanceKey);
  if (!suggestion?.joints[joint]) return null;
  const placed = placeJoint(withPersonOf(labels, suggestion, jointCount), instanceKey, joint, x, y);
  return { ...placed, suggestions: withoutJoint(labels.suggestions ?? [], instanceKey, joint) };
}

/** Every suggested joint becomes a visible label of its person (joints already labeled there are kept). */
export function acceptAllSuggestions(labels: ImageLabels, jointCount: number): ImageLabels | null {
  if (!labels.suggestions?.length) return null;
  let next: ImageLabels = labels;
  for (const suggestion of labels.suggestions) {
    next = withPersonOf(next, suggestion, jointCount);
    const person = findInstance(next, suggestion.instanceKey)!;
    const keypoints = person.keypoints.map((k) => {
      const s = suggestion.joints[k.joint];
      return k.visibility > 0 || !s ? k : { joint: k.joint, x: s.x, y: s.y, visibility: 2 as Visibility };
    });
    next = { ...next, instances: next.instances.map((i) => (i.key === person.key ? { ...i, keypoints } : i)) };
  }
  return { ...next, suggestions: [] };
}
