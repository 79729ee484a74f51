// The orders the Predict view's grid can ask for. Labels make the true error the key to review
// by; a folder nobody labeled has only the confidence proxies, so 'auto' takes the error when
// there is any, else the doubt (least confident first), else the file name.
import type { Prediction, PredictionSort } from '../../../src-shared/api/predictions.contract';
import { doubtOf } from '../../../src-shared/domain/confidence';

export type AppliedSort = Exclude<PredictionSort, 'auto'>;

const byName = (a: Prediction, b: Prediction) =>
  a.fileName.localeCompare(b.fileName) || a.imagePath.localeCompare(b.imagePath) || a.id - b.id;
// Worst first; predictions without the key go last, by name.
const byError = (a: Prediction, b: Prediction) => (b.errorPx ?? -1) - (a.errorPx ?? -1) || byName(a, b);
const byDoubt = (a: Prediction, b: Prediction) =>
  (doubtOf(b.confidence) ?? -1) - (doubtOf(a.confidence) ?? -1) || byName(a, b);

export function appliedSort(items: readonly Prediction[], sort: PredictionSort): AppliedSort {
  if (sort !== 'auto') return sort;
  if (items.some((p) => p.errorPx !== null)) return 'error';
  return items.some((p) => doubtOf(p.confidence) !== null) ? 'least-confident' : 'name';
}

/** Sorts in place; answers the order used. */
export function orderPredictions(items: Prediction[], sort: PredictionSort): AppliedSort {
  const applied = appliedSort(items, sort);
  items.sort(applied === 'error' ? byError : applied === 'least-confident' ? byDoubt : byName);
  return applied;
}
