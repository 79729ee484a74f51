// The worker's side of a speed calibration: a run's own network, optimizer, backend and step
// engine, fed batches of its real training examples through the training pipeline, timed
// over a couple of steps after a warm-up step (the first builds graphs and sessions).
import type { CalibrateRequest, CalibrationEvent } from '../../../src-shared/training/protocol';
import { trainingConfigSchema } from '../../../src-shared/training/config';
import { selectBackend } from '../backends/select-backend';
import { trainingBatches } from './data/batches';
import { architectures, baseSize } from '../pose/architectures';
import { buildModel, dropoutLayerCount } from './models/build-model';
import { createOptimizer } from './optimizer';
import { chooseEngine } from '../engines/choose-engine';

const WARM_UP_STEPS = 1;
export const TIMED_STEPS = 2;

export interface CalibrationControl {
  emit(event: CalibrationEvent): void;
  stopRequested(): boolean;
}

export async function runCalibration(request: CalibrateRequest, control: CalibrationControl): Promise<void> {
  const config = trainingConfigSchema.parse(request.config);
  if (request.examples.length === 0) throw new Error('no labeled training examples to time a step on');
  const arch = architectures[config.model];
  const backend = await selectBackend(config.backend);
  const model = buildModel(arch, config.joints, config.seed);
  const optimizer = createOptimizer(config);
  // A PyTorch run's estimate is timed on this computer's fastest step.
  const { engine } = chooseEngine(
    backend.name,
    model,
    optimizer,
    config.batchSize,
    config.engine === 'torch' ? 'auto' : config.engine,
  );
  try {
    const pipeline = { ...config, base: baseSize(arch), input: arch.inputSize, seed: config.seed };
    const wanted = config.batchSize * (WARM_UP_STEPS + TIMED_STEPS);
    const examples = Array.from({ length: wanted }, (_, i) => request.examples[i % request.examples.length]);
    const dropoutSeeds = Array.from({ length: dropoutLayerCount(model) }, (_, i) => config.seed + i);
    let done = 0;
    let timedFrom = 0;
    for await (const batch of trainingBatches(examples, config.batchSize, 0, 0, pipeline)) {
      if (control.stopRequested()) return;
      if (done === WARM_UP_STEPS) timedFrom = performance.now();
      await engine.step(batch, dropoutSeeds, config.lr);
      done++;
    }
    const secondsPerStep = (performance.now() - timedFrom) / 1000 / TIMED_STEPS;
    control.emit({ type: 'calibrated', backend: backend.name, secondsPerStep, steps: TIMED_STEPS });
  } finally {
    engine.dispose();
    optimizer.dispose();
    model.dispose();
  }
}
