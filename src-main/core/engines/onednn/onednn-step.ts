// The whole training step on oneDNN's CPU primitives (native/onednn-step): the same layer
// plan, loss, backward pass and optimizer formulas as the ONNX graph engine, but with the
// convolutions' forward, data-gradient and filter-gradient kernels oneDNN has for each
// (the ones PyTorch's CPU training uses), activations in oneDNN's blocked layouts between
// layers, and the weights and slots (the TrainState's arrays: tfjs' own storage where shared)
// updated in place.
import { threadCount } from '../../parallelism';
import { atBatch, type LayerPlan, type PlannedLayer } from '../layer-plan';
import { loadOneDnn, type OneDnnAddon } from './onednn-addon';
import { LAYER_KINDS, planRow } from './plan-fields';
import { advance, dropoutMultiplier, HYPERPARAMETERS, paddedBatches, stepScalars } from '../step-common';
import type { StepSetup, TrainState, TrainStep } from '../train-step';

/** The plan as the addon reads it: one row of PLAN_FIELDS per layer (plan-fields.ts, layer_plan_fields.h). */
export function encodePlan(plan: LayerPlan): Int32Array {
  let dropouts = 0;
  const rows = plan.layers.map((l: PlannedLayer) => {
    const kind = LAYER_KINDS[l.kind];
    if (l.kind === 'conv' || l.kind === 'pool') {
      const i = l.info;
      const p = i.padInfo;
      if (i.dilationHeight !== 1 || i.dilationWidth !== 1) throw new Error(`layer ${l.name}: dilated`);
      return planRow({
        kind,
        inC: i.inChannels,
        outC: i.outChannels,
        inH: i.inHeight,
        inW: i.inWidth,
        outH: i.outHeight,
        outW: i.outWidth,
        kh: i.filterHeight,
        kw: i.filterWidth,
        sh: i.strideHeight,
        sw: i.strideWidth,
        pt: p.top,
        pl: p.left,
        pb: p.bottom,
        pr: p.right,
        relu: l.kind === 'conv' && l.relu ? 1 : 0,
      });
    }
    if (l.kind === 'flatten') return planRow({ kind, outC: l.shape[2], outH: l.shape[0], outW: l.shape[1] });
    if (l.kind === 'dense') return planRow({ kind, inUnits: l.inUnits, units: l.units, relu: l.relu ? 1 : 0 });
    // Dropout: its place among the multipliers step() passes (rate-0 layers have none).
    return planRow({ kind, units: l.units, index: dropouts++ });
  });
  return Int32Array.from(rows.flat());
}

/** Throws (with a reason) where the addon is missing or cannot load. */
export function createOneDnnTrainStep({ plan: plan0, optimizer, state: initial, batchSize }: StepSetup): TrainStep {
  const loaded = loadOneDnn();
  if ('problem' in loaded) throw new Error(loaded.problem);
  const addon: OneDnnAddon = loaded.addon;
  let state: TrainState = initial;
  const engines = new Map<number, { engine: unknown; plan: LayerPlan }>();
  const engineFor = (size: number) => {
    let entry = engines.get(size);
    if (!entry) {
      const plan = atBatch(plan0, size);
      entry = {
        engine: addon.create(
          encodePlan(plan),
          size,
          plan.input,
          plan.outputs,
          optimizer.kind === 'adam' ? 1 : 0,
          optimizer.kind === 'momentum' ? optimizer.momentum : 0,
          threadCount(),
        ),
        plan,
      };
      engines.set(size, entry);
    }
    return entry;
  };
  if (batchSize) engineFor(batchSize);
  const padding = batchSize ? paddedBatches(batchSize, plan0) : null;
  const names = HYPERPARAMETERS[optimizer.kind];
  const hyper = new Float32Array(names.length);

  return {
    name: 'onednn',
    async step(original, dropoutSeeds, lr) {
      // Padded as in the graph engine: one set of primitives and buffers for the run.
      const batch = padding && original.size < padding.size ? padding.pad(original) : original;
      const { engine, plan } = engineFor(batch.size);
      const values = stepScalars(optimizer, state, lr);
      names.forEach((name, i) => (hyper[i] = values[name]));
      const dropouts = plan.layers.flatMap((l) =>
        l.kind === 'dropout' ? [dropoutMultiplier([batch.size, l.units], l.rate, dropoutSeeds[l.index])] : [],
      );
      const live = state.variables;
      const loss = addon.step(
        engine,
        batch.pixels.subarray(0, batch.size * plan.input * plan.input * 3),
        batch.targets.subarray(0, batch.size * plan.outputs),
        batch.weights.subarray(0, (batch.size * plan.outputs) / 2),
        dropouts,
        hyper,
        live.map((v) => v.weight),
        live.flatMap((v) => v.slots),
      );
      advance(optimizer, state);
      return loss;
    },
    readState: () => state,
    writeState(next) {
      state = next;
    },
    dispose() {
      for (const { engine } of engines.values()) addon.dispose(engine);
      engines.clear();
    },
  };
}
