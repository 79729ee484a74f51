// What a run will cost before it starts: its time (steps × a measured time per step) and the
// disk it fills. The core computes it (training.estimate); the Train view and `deeppose train`
// show it in the same words.
import { z } from 'zod';
import { formatBytes, formatDuration } from '../format';

export const DiskEstimate = z.object({
  /** One checkpoint folder: weights, optimizer slots, progress. */
  checkpointBytes: z.number(),
  checkpointsWritten: z.number(),
  /** Checkpoints left at the end under the retention settings. */
  checkpointsKept: z.number(),
  /** The cascade's frozen stages and their measured errors, in the run's stages/ folder. */
  stagesBytes: z.number(),
  /** The final model folder, every stage. */
  modelBytes: z.number(),
  /** The most on disk at once: kept checkpoints and the one being written, stages/, model/. */
  totalBytes: z.number(),
});
export type DiskEstimate = z.infer<typeof DiskEstimate>;

/** Seconds per optimizer step, and where that figure comes from. */
export const StepSpeed = z.object({
  secondsPerStep: z.number(),
  /** 'run': an earlier run of the same model, backend and batch; 'measured': a calibration on this machine. */
  source: z.enum(['run', 'measured']),
  /** The earlier run the figure comes from. */
  runName: z.string().nullable(),
  /** Steps the figure was timed over. */
  steps: z.number(),
  /** When it was measured (ms since the epoch). */
  at: z.number(),
});
export type StepSpeed = z.infer<typeof StepSpeed>;

export const RunEstimate = z.object({
  params: z.number(),
  trainCount: z.number(),
  /** Optimizer steps of the whole run, every cascade stage. */
  iterations: z.number(),
  /** The backend the run would use, the one the speed was matched on; null when none can run. */
  backend: z.string().nullable(),
  speed: StepSpeed.nullable(),
  /** iterations × seconds per step; null until a speed is known. */
  seconds: z.number().nullable(),
  disk: DiskEstimate,
  /** Free space on the project's volume for this user; null when it cannot be read. */
  freeBytes: z.number().nullable(),
});
export type RunEstimate = z.infer<typeof RunEstimate>;

export function speedSource(speed: StepSpeed): string {
  return speed.source === 'run' ? `from your run '${speed.runName ?? '?'}'` : 'measured just now';
}

/** The time part: '≈ 12m 30s (1,700 steps × 0.44 s, from your run 'adam-tiny')', or why there is none. */
export function describeTime(estimate: RunEstimate): string {
  const steps = `${estimate.iterations.toLocaleString('en')} steps`;
  if (!estimate.speed || estimate.seconds === null)
    return `${steps}; time unknown until the first steps (no earlier run of this model, backend and batch size)`;
  const perStep = estimate.speed.secondsPerStep;
  return `≈ ${formatDuration(estimate.seconds)} (${steps} × ${perStep < 0.1 ? perStep.toFixed(3) : perStep.toFixed(2)} s, ${speedSource(estimate.speed)})`;
}

/** The disk part: 'up to 1.9 MB on disk (2 of 8 checkpoints kept, 0.7 MB each, + model)'. */
export function describeDisk(estimate: RunEstimate): string {
  const { disk } = estimate;
  const extras = disk.stagesBytes > 0 ? 'frozen stages and model' : 'model';
  return `up to ${formatBytes(disk.totalBytes)} on disk (${disk.checkpointsKept} of ${disk.checkpointsWritten} checkpoints kept, ${formatBytes(disk.checkpointBytes)} each, + ${extras})`;
}

/** Set when the run would not fit: the free space beside the need. */
export function diskWarning(estimate: RunEstimate): string | null {
  if (estimate.freeBytes === null || estimate.disk.totalBytes <= estimate.freeBytes) return null;
  return `The run needs up to ${formatBytes(estimate.disk.totalBytes)} but the project's disk has ${formatBytes(estimate.freeBytes)} free: keep fewer checkpoints, train fewer stages or free some space.`;
}

/** The one line `deeppose train` prints before it starts. */
export function describeEstimate(estimate: RunEstimate): string {
  const warning = diskWarning(estimate);
  return `estimate: ${describeTime(estimate)} · ${describeDisk(estimate)}${warning ? `\nwarning: ${warning}` : ''}`;
}
