// Text for the training dashboard: every figure with its unit.
import { formatDuration } from '../format';
import { modelInputSizes, type ModelName } from '../../../../src-shared/training/config';

export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return 'ETA estimating…';
  return `ETA ${formatDuration(Math.max(0, seconds))}`;
}

export function formatRate(imagesPerSecond: number | null | undefined): string {
  if (imagesPerSecond == null || !Number.isFinite(imagesPerSecond)) return '— images/s';
  return `${imagesPerSecond >= 100 ? imagesPerSecond.toFixed(0) : imagesPerSecond.toFixed(1)} images/s`;
}

/** PCK arrives as a fraction of joints within the threshold; people read percentages. */
export function formatPck(pck: number | null | undefined): string {
  if (pck == null || !Number.isFinite(pck)) return '—';
  return `${(pck * 100).toFixed(1)}%`;
}

export function formatLoss(loss: number | null | undefined): string {
  if (loss == null) return '—';
  if (!Number.isFinite(loss)) return String(loss);
  return loss >= 1000 || loss < 0.001 ? loss.toExponential(2) : loss.toPrecision(4);
}

export function formatRunDuration(seconds: number | null | undefined): string {
  return seconds == null ? '—' : formatDuration(seconds);
}

/** The loss's unit: targets are joint pixels divided by the model's input side (96 for alexnet-tiny, not 227). */
export function lossAxisLabel(model: unknown): string {
  const side =
    typeof model === 'string' && Object.hasOwn(modelInputSizes, model) ? modelInputSizes[model as ModelName] : null;
  return side ? `Loss (MSE, coords ÷ ${side})` : 'Loss (MSE, coords ÷ input side)';
}
