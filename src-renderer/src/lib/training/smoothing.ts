/**
 * Exponential moving average as TensorBoard draws it: debiased, so the first points are not
 * pulled toward zero. `weight` in [0, 1): 0 is the raw curve, 0.9 is very smooth. Values that
 * are not finite (a diverged loss) leave a gap and do not poison the average after them.
 */
export function smoothEma(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  let average = 0;
  let count = 0;
  return values.map((value) => {
    if (value == null || !Number.isFinite(value)) return null;
    average = average * w + (1 - w) * value;
    count += 1;
    return average / (1 - w ** count);
  });
}
