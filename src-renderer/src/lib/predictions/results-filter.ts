// Which predictions the grid shows. The server sorts (worst error first, or by name); the
// filter narrows what is loaded without changing that order.
import type { Prediction } from '../../../../src-shared/api/predictions.contract';

export type ShowOnly = 'all' | 'labeled' | 'unlabeled' | 'accepted' | 'not-accepted';

export interface ResultFilter {
  show: ShowOnly;
  /** Only images whose mean error is at least this many pixels (labeled images only). */
  minErrorPx: number | null;
  /** Case-insensitive part of the file name. */
  search: string;
}

export const NO_FILTER: ResultFilter = { show: 'all', minErrorPx: null, search: '' };

export function isFiltering(filter: ResultFilter): boolean {
  return filter.show !== 'all' || filter.minErrorPx != null || filter.search.trim() !== '';
}

export function matchesFilter(prediction: Prediction, filter: ResultFilter): boolean {
  const labeled = prediction.truth != null;
  if (filter.show === 'labeled' && !labeled) return false;
  if (filter.show === 'unlabeled' && labeled) return false;
  if (filter.show === 'accepted' && !prediction.accepted) return false;
  if (filter.show === 'not-accepted' && prediction.accepted) return false;
  if (filter.minErrorPx != null && !(prediction.errorPx != null && prediction.errorPx >= filter.minErrorPx))
    return false;
  const search = filter.search.trim().toLowerCase();
  return search === '' || prediction.fileName.toLowerCase().includes(search);
}

export function filterPredictions(items: readonly Prediction[], filter: ResultFilter): Prediction[] {
  return isFiltering(filter) ? items.filter((p) => matchesFilter(p, filter)) : items.slice();
}

export type ErrorBand = 'good' | 'fair' | 'poor';

/**
 * How bad an image's mean error is, relative to the image's longer side (so a 6 px miss
 * reads the same on a thumbnail-sized photo as 30 px on a large one); null without a label.
 */
export function errorBand(prediction: Pick<Prediction, 'errorPx' | 'width' | 'height'>): ErrorBand | null {
  if (prediction.errorPx == null) return null;
  const relative = prediction.errorPx / Math.max(1, prediction.width, prediction.height);
  return relative < 0.05 ? 'good' : relative < 0.1 ? 'fair' : 'poor';
}
