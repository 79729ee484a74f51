// What a run's end says against its mean-pose baseline (always guessing the training set's
// average pose): a run that ends below it has learnt nothing from the pixels, and the Train
// view and `deeppose train` say so in these words.
interface RunFigures {
  status: string;
  bestValPck: number | null;
  lastValPck: number | null;
  baselineValPck: number | null;
}

const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Null while the run goes on, when it beat the baseline, or when either figure is missing. */
export function belowBaselineNote(run: RunFigures): string | null {
  if (run.status === 'running' || run.status === 'queued') return null;
  const { bestValPck: best, lastValPck: last, baselineValPck: baseline } = run;
  if (baseline === null || best === null) return null;
  if (best < baseline) {
    return `This run ended below the mean-pose baseline: its best validation PCK is ${pct(best)} against ${pct(baseline)} for always guessing the average pose, so it has not learnt pose from the pixels yet. Train longer, on more labeled images, or with another learning rate.`;
  }
  if (last !== null && last < baseline) {
    return `This run's final model ends below the mean-pose baseline (last validation PCK ${pct(last)} against ${pct(baseline)}), though it reached ${pct(best)} at its best: its best checkpoint, if kept, is the better model.`;
  }
  return null;
}
