import * as tf from '@tensorflow/tfjs';
import type { Command } from '../command';
import { optionalNumber, UsageError } from '../command';
import { runBenchmark } from '../../core/training/benchmark';
import { backendNames, modelNames, type BackendName, type ModelName } from '../../../src-shared/training/config';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Time the reference AlexNet: training images/s at batch 32 and inference ms/image, as JSON.',
  usage: `deeppose bench [--backend auto|${backendNames.join('|')}] [--iterations N] [--samples N] [--model ${modelNames.join('|')}] [--batch-size N]`,
  options: {
    backend: { type: 'string' },
    iterations: { type: 'string' },
    samples: { type: 'string' },
    model: { type: 'string' },
    'batch-size': { type: 'string' },
  },
  async run(values) {
    const backend = (values.backend as string | undefined) ?? 'auto';
    if (backend !== 'auto' && !(backendNames as readonly string[]).includes(backend)) throw new UsageError(`--backend must be auto or one of ${backendNames.join(', ')}`);
    const model = (values.model as string | undefined) ?? 'alexnet';
    if (!(modelNames as readonly string[]).includes(model)) throw new UsageError(`--model must be one of ${modelNames.join(', ')}`);
    const count = (name: string, fallback: number) => {
      const n = optionalNumber(values, name) ?? fallback;
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
      return n;
    };
    tf.enableProdMode();
    const result = await runBenchmark(
      { backend: backend as BackendName | 'auto', model: model as ModelName, batchSize: count('batch-size', 32), trainIterations: count('iterations', 5), inferenceSamples: count('samples', 20), joints: 14 },
      (what, n) => process.stderr.write(`\r${what} sample ${n}   `),
    );
    process.stderr.write('\n');
    console.log(JSON.stringify(result, null, 2));
    return 0;
  },
};
