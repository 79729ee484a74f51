// Runs the whole-step graph (step-graph.ts) in ONNX Runtime. The weights and optimizer
// slots are the TrainState's arrays (tfjs' own variable storage where the trainer could share
// it: tfjs/tfjs-state.ts), fed to ORT and bound as the outputs
// for their next values, so ORT updates them in place (onnxruntime-node wraps the arrays
// without copying; its binding has no IO binding to keep tensors inside the runtime). The
// graph orders each overwrite after the old value's last read (optimizer-nodes.ts), so no
// step allocates or copies weights.
import { OnnxSession } from '../../onnx/onnx-runtime';
import { memoryIsRetained } from '../../backends/retained-memory';
import { atBatch, type LayerPlan } from '../layer-plan';
import {
  buildStepGraph,
  dropoutInput,
  stateInput,
  stateOutput,
  weightInput,
  weightOutput,
  type StepGraph,
} from './step-graph';
import { advance, dropoutMultiplier, paddedBatches, stepScalars } from '../step-common';
import type { StepSetup, TrainState, TrainStep } from '../train-step';

// ORT's memory pattern gives every intermediate of the planned run its own place in one
// block unless an earlier one of exactly the same size is free: for this graph, whose
// tensors come in hundreds of sizes, that is close to the sum of them all; its arena then
// grows in doubling chunks. Without the arena, tensors come from malloc: as fast where the
// process keeps freed memory (retained-memory.ts: training and bench processes),
// page faults on every step where it does not, so the arena stays on there. Measured at
// batch 32 on the reference AlexNet: peak RSS 2.87 GB with both, 2.35 GB with neither
// (before in-place updates). DEEPPOSE_STEP_MEMPATTERN / DEEPPOSE_STEP_ARENA (0 or 1) override.
const stepSessionOptions = () => ({
  enableMemPattern: process.env.DEEPPOSE_STEP_MEMPATTERN === '1',
  enableCpuMemArena: process.env.DEEPPOSE_STEP_ARENA ? process.env.DEEPPOSE_STEP_ARENA === '1' : !memoryIsRetained(),
});

/** Throws (with a reason) where ORT cannot compile the graph for the plan. */
export function createOnnxGraphTrainStep({ plan: plan0, optimizer, state: initial, batchSize }: StepSetup): TrainStep {
  let state: TrainState = initial;
  const momentum = optimizer.kind === 'momentum' ? optimizer.momentum : undefined;
  const sessions = new Map<number, { session: OnnxSession; step: StepGraph; plan: LayerPlan }>();
  const sessionFor = (size: number) => {
    let entry = sessions.get(size);
    if (!entry) {
      const plan = atBatch(plan0, size);
      const step = buildStepGraph(plan, optimizer.kind, momentum);
      entry = { session: OnnxSession.fromGraph(step.graph, undefined, stepSessionOptions()), step, plan };
      sessions.set(size, entry);
    }
    return entry;
  };
  const loss = new Float32Array(1);
  // Compiled now when the batch size is known, so a graph ORT refuses fails here, not mid-run.
  if (batchSize) sessionFor(batchSize);
  const padding = batchSize ? paddedBatches(batchSize, plan0) : null;

  return {
    name: 'onnx-graph',
    async step(original, dropoutSeeds, lr) {
      // An epoch's smaller last batch runs through the same graph, padded, rather than
      // compiling a second one (hundreds of MB of plans and buffers for one step an epoch).
      const batch = padding && original.size < padding.size ? padding.pad(original) : original;
      const { session, step, plan } = sessionFor(batch.size);
      const B = batch.size;
      const hyper = stepScalars(optimizer, state, lr);
      const live = state.variables;
      const masks = step.dropouts.map((d) => ({
        name: dropoutInput(d.index),
        shape: [B, d.units],
        data: dropoutMultiplier([B, d.units], d.rate, dropoutSeeds[d.index]),
      }));
      const inputs = [
        { name: 'pixels', shape: [B, plan.input, plan.input, 3], data: batch.pixels },
        { name: 'targets', shape: [B, plan.outputs], data: batch.targets },
        { name: 'mask', shape: [B, plan.outputs / 2], data: batch.weights },
        ...masks,
        ...step.hyperparameters.map((name) => ({ name, shape: [], data: new Float32Array([hyper[name]]) })),
        ...plan.variables.flatMap((v, i) => [
          { name: weightInput(i), shape: v.shape, data: live[i].weight },
          ...live[i].slots.map((data, s) => ({ name: stateInput(i, s), shape: v.shape, data })),
        ]),
      ];
      const outputs = [
        { name: 'loss', shape: [], data: loss },
        ...plan.variables.flatMap((v, i) => [
          { name: weightOutput(i), shape: v.shape, data: live[i].weight },
          ...live[i].slots.map((data, s) => ({ name: stateOutput(i, s), shape: v.shape, data })),
        ]),
      ];
      session.runInto(inputs, outputs);
      advance(optimizer, state);
      return loss[0];
    },
    readState: () => state,
    writeState(next) {
      state = next;
    },
    dispose() {
      for (const { session } of sessions.values()) session.dispose();
      sessions.clear();
    },
  };
}
