// `deeppose sample`: procedural people with exact joint labels in a folder, through the core's
// 'samples.generate' task, and the mean-pose baseline a model trained on them must beat.
import { resolve } from 'node:path';
import type { Command } from '../command';
import { optionalNumber, requireString, UsageError } from '../command';
import type { SampleReport } from '../../../src-shared/api/file-jobs.contract';
import { withStudio } from '../studio-client';
import { followTask } from '../task-follower';

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
    home: { type: 'string' },
  },
  async run(values) {
    const folder = resolve(requireString(values, 'out'));
    const count = wholeNumber(values, 'count', 2000) as number;
    const seed = wholeNumber(values, 'seed', 1) as number;
    const width = wholeNumber(values, 'width');
    const height = wholeNumber(values, 'height');
    const started = performance.now();
    return withStudio(values.home as string | undefined, async (studio) => {
      const { taskId } = await studio.call('samples.generate', {
        folder,
        count,
        seed,
        width,
        height,
      });
      let reported = 0;
      const sample = (await followTask(studio, taskId, {
        onProgress: ({ current: done, total }) => {
          if (total === null || done === 0) return;
          if (done === total || done - reported >= Math.max(1, Math.round(total / 10))) {
            reported = done;
            process.stderr.write(`  ${done}/${total}\n`);
          }
        },
        cancelled: `sample: cancelled; ${folder} may hold some of the pictures`,
      })) as SampleReport;
      if (reported !== sample.count) process.stderr.write(`  ${sample.count}/${sample.count}\n`);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `wrote ${sample.count} images to ${sample.folder} in ${seconds.toFixed(1)} s (${(sample.count / seconds).toFixed(0)} images/s)`,
      );
      console.log(`labels: ${sample.csvPath}\n        ${sample.cocoPath}`);
      console.log(
        `joints: ${sample.joints.visible} visible, ${sample.joints.occluded} occluded, ${sample.joints.outside} outside the frame`,
      );
      // What a model must beat: the mean pose of a seeded 80 % split, scored on the rest.
      const baseline = sample.baseline;
      if (baseline)
        console.log(
          `mean-pose baseline (fit on ${baseline.fit}, scored on ${baseline.scored}, occluded joints counted): ` +
            `PCK@${baseline.alpha} ${percent(baseline.pck)}, PCP ${percent(baseline.pcp)}, mean error ${baseline.meanErrorPx === null ? 'n/a' : `${baseline.meanErrorPx.toFixed(1)} px`}`,
        );
      return 0;
    });
  },
};
