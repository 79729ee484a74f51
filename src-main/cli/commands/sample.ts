import type { Command } from '../command';
import { optionalNumber, requireString, UsageError } from '../command';
import { generateSample } from '../../core/sample/generate-sample';
import { createRng } from '../../core/sample/prng';
import { meanPoseBaseline, posesInView, type PoseInView } from '../../core/metrics/mean-pose-baseline';

const percent = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);

function wholeNumber(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const n = optionalNumber(values, name) ?? fallback;
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got ${n}`);
  return n;
}

export const sampleCommand: Command = {
  usage: 'deeppose sample --out DIR [--count N=2000] [--seed S=1] [--width PX --height PX]',
  options: {
    out: { type: 'string' },
    count: { type: 'string' },
    seed: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
  },
  async run(values) {
    const outDir = requireString(values, 'out');
    const count = wholeNumber(values, 'count', 2000) as number;
    const seed = wholeNumber(values, 'seed', 1) as number;
    const started = performance.now();
    let reported = 0;
    const sample = await generateSample({
      outDir,
      count,
      seed,
      width: wholeNumber(values, 'width'),
      height: wholeNumber(values, 'height'),
      onProgress: (done, total) => {
        if (done === total || done - reported >= Math.max(1, Math.round(total / 10))) {
          reported = done;
          process.stderr.write(`  ${done}/${total}\n`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `wrote ${sample.count} images to ${sample.outDir} in ${seconds.toFixed(1)} s (${(sample.count / seconds).toFixed(0)} images/s)`,
    );
    console.log(`labels: ${sample.csvPath}\n        ${sample.cocoPath}`);
    console.log(
      `joints: ${sample.joints.visible} visible, ${sample.joints.occluded} occluded, ${sample.joints.outside} outside the frame`,
    );

    // What a model must beat: the mean pose of a seeded 80 % split, scored on the rest.
    const rng = createRng(seed);
    const train: PoseInView[] = [];
    const held: PoseInView[] = [];
    for (const pose of posesInView(sample.examples)) (rng.next() < 0.8 ? train : held).push(pose);
    if (train.length > 0 && held.length > 0) {
      const { metrics } = meanPoseBaseline(train, held);
      const error = metrics.meanPixelError.mean;
      console.log(
        `mean-pose baseline (fit on ${train.length}, scored on ${held.length}, occluded joints counted): ` +
          `PCK@${metrics.pck.alpha} ${percent(metrics.pck.mean)}, PCP ${percent(metrics.pcp.mean)}, mean error ${error === null ? 'n/a' : `${error.toFixed(1)} px`}`,
      );
    }
    return 0;
  },
};
