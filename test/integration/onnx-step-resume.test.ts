// Checkpoints cross engines: a run trained by a whole-step engine on onnx-cpu (the ONNX graph,
// and oneDNN where its addon is built) resumes on the cpu backend's tfjs step, and the other way round, and either way ends where an
// uninterrupted cpu run ends. Checkpoints keep tfjs' format (model + optimizer.getWeights),
// so this holds only if the graph's weights, slots, iteration count and Adam's β powers
// were written back exactly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { runTraining } from '../../src-main/core/training/trainer';
import { trainingConfigSchema, type BackendName } from '../../src-shared/training/config';
import type { Example, WorkerEvent } from '../../src-shared/training/protocol';
import { makeTempDir } from '../support/paths';
import { makeSyntheticPoses } from '../support/synthetic-training-data';
import { loadOneDnn } from '../../src-main/core/engines/onednn/onednn-addon';

const temp = makeTempDir();
after(temp.cleanup);

// As in onnx-cpu-training-parity: the engines sum in different orders, so losses agree to
// float32 rounding carried through a few steps, not bit for bit.
const RELATIVE_TOLERANCE = 1e-5;

let train: Example[];
let val: Example[];
before(async () => {
  train = await makeSyntheticPoses(temp.dir, 16, 51, 'train');
  val = await makeSyntheticPoses(temp.dir, 8, 52, 'val');
});

let runs = 0;
async function run(
  backend: BackendName,
  optimizer: 'MomentumSGD' | 'Adam',
  epochs: number,
  resumeFrom?: string,
  engine: 'onnx-graph' | 'onednn' = 'onnx-graph',
) {
  const config = trainingConfigSchema.parse({
    model: 'alexnet-tiny',
    joints: 14,
    epochs,
    stages: 1,
    batchSize: 8,
    seed: 4,
    backend,
    augment: false,
    valEvery: 1,
    optimizer,
    lr: optimizer === 'Adam' ? 0.001 : 0.01,
    // The step engine is a setting of the run (cpu runs keep tfjs' step whatever it says).
    engine,
  });
  const events: WorkerEvent[] = [];
  await runTraining(
    { type: 'train', config, dataset: { train, val }, runDir: join(temp.dir, `run-${runs++}`), resumeFrom },
    { emit: (e) => events.push(e), stopRequested: () => false },
  );
  const started = events.find((e) => e.type === 'started');
  const finished = events.find((e) => e.type === 'finished');
  assert.ok(started?.type === 'started' && started.backend === backend, `ran on ${backend}`);
  assert.equal(started.stepEngine?.split(' ')[0], backend === 'onnx-cpu' ? engine : 'tfjs');
  assert.ok(finished?.type === 'finished', 'finished');
  return { checkpoint: finished.checkpoint, losses: events.flatMap((e) => (e.type === 'validation' ? [e.loss] : [])) };
}

const oneDnn = loadOneDnn();
for (const engine of ['onnx-graph', 'onednn'] as const) {
  for (const optimizer of ['MomentumSGD', 'Adam'] as const) {
    test(
      `${optimizer}: a ${engine} checkpoint resumes on cpu and a cpu checkpoint on ${engine}`,
      { skip: engine === 'onednn' && 'problem' in oneDnn && `oneDNN step ${oneDnn.problem}` },
      async () => {
        const straight = await run('cpu', optimizer, 4);
        const fromGraph = await run(
          'cpu',
          optimizer,
          4,
          (await run('onnx-cpu', optimizer, 2, undefined, engine)).checkpoint,
        );
        const toGraph = await run('onnx-cpu', optimizer, 4, (await run('cpu', optimizer, 2)).checkpoint, engine);
        const final = straight.losses.at(-1)!;
        assert.ok(final < straight.losses[0], `the run learned: ${straight.losses.join(' -> ')}`);
        for (const [name, resumed] of [
          [`${engine} then cpu`, fromGraph],
          [`cpu then ${engine}`, toGraph],
        ] as const) {
          const relative = Math.abs(resumed.losses.at(-1)! - final) / final;
          assert.ok(
            relative <= RELATIVE_TOLERANCE,
            `${name}: final validation loss ${resumed.losses.at(-1)} vs ${final} uninterrupted (relative ${relative.toExponential(2)})`,
          );
        }
      },
    );
  }
}
