// MomentumSGD and Adam with the same state, names and checkpoint format as tfjs' optimizers,
// but each variable's update done as one pass over its memory, in place, on the cpu-family
// backends (cpu, onnx-cpu). tfjs runs the update as 4 (momentum) to 12 (Adam) separate
// element-wise kernels, each a full pass that allocates its result: on the reference
// AlexNet's 58 M parameters that cost more per step than the forward convolutions. Other
// backends (wasm, tfjs-node) keep tfjs' own update.
//
// The subclasses reach tfjs' private optimizer fields (the accumulator lists, beta powers):
// the names are pinned with the tfjs version, and test/unit/training-fused-optimizers checks
// every step against tfjs' own optimizers.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

type NamedGradients = Parameters<tf.MomentumOptimizer['applyGradients']>[0];
type NamedTensor = { name: string; tensor: tf.Tensor };
interface OptimizerVariable {
  originalName: string;
  variable: tf.Variable;
}

/** A float32 buffer to read from and one to write to (the same one when updating in place). */
interface Buffer32 {
  read: Float32Array;
  write: Float32Array;
  /** Publishes `write` as the variable's value if it is a fresh array. */
  commit(): void;
}

function cpuBackend(): MathBackendCPU | null {
  const backend = tf.backend();
  return backend instanceof MathBackendCPU ? backend : null;
}

/**
 * A variable's storage for an update. In place when no other tensor shares it (a clone or a
 * reshape would see the change); otherwise into a fresh array assigned afterwards.
 */
function updatable(backend: MathBackendCPU, variable: tf.Variable): Buffer32 {
  const entry = backend.data.get(variable.dataId) as { values?: unknown; refCount: number };
  if (entry.refCount === 1 && entry.values instanceof Float32Array) {
    const values = entry.values;
    return { read: values, write: values, commit: () => undefined };
  }
  const read = backend.readSync(variable.dataId) as Float32Array;
  const write = new Float32Array(read.length);
  return {
    read,
    write,
    commit() {
      const fresh = tf.tensor(write, variable.shape, 'float32');
      variable.assign(fresh);
      fresh.dispose();
    },
  };
}

function gradientsList(gradients: NamedGradients): NamedTensor[] {
  return Array.isArray(gradients) ? gradients : Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
}

/** tfjs' lazily created optimizer slot: zeros shaped like the variable, named as tfjs names it. */
export function slot(slots: OptimizerVariable[], i: number, name: string, suffix: string): tf.Variable {
  slots[i] ??= {
    originalName: `${name}/${suffix}`,
    variable: tf.tidy(() => tf.zerosLike(tf.engine().registeredVariables[name]).variable(false)),
  };
  return slots[i].variable;
}

/** v ← m·v + g; w ← w − lr·v (tfjs' Momentum without Nesterov). */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(variableGradients: NamedGradients): void {
    const self = this as unknown as {
      accumulations: OptimizerVariable[];
      momentum: number;
      useNesterov: boolean;
      learningRate: number;
    };
    const backend = cpuBackend();
    if (!backend || self.useNesterov) return super.applyGradients(variableGradients);
    // tfjs holds both factors as float32 scalars; with them rounded alike, and each product and
    // sum rounded to float32 as its kernels round them, the result is bit for bit tfjs'.
    const m = Math.fround(self.momentum);
    const c = Math.fround(-self.learningRate);
    gradientsList(variableGradients).forEach(({ name, tensor }, i) => {
      const accumulation = slot(self.accumulations, i, name, 'momentum');
      if (tensor == null) return;
      const g = backend.readSync(tensor.dataId) as Float32Array;
      const w = updatable(backend, tf.engine().registeredVariables[name]);
      const v = updatable(backend, accumulation);
      for (let k = 0; k < g.length; k++) {
        const vk = Math.fround(m * v.read[k]) + g[k];
        v.write[k] = vk;
        w.write[k] = w.read[k] + Math.fround(c * Math.fround(vk));
      }
      v.commit();
      w.commit();
    });
    this.incrementIterations();
  }
}

/** tfjs' Adam: bias-corrected moments, w ← w − lr·m̂ / (√v̂ + ε). */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: NamedGradients): void {
    const self = this as unknown as {
      accumulatedFirstMoment: OptimizerVariable[];
      accumulatedSecondMoment: OptimizerVariable[];
      accBeta1: tf.Variable;
      accBeta2: tf.Variable;
      beta1: number;
      beta2: number;
      epsilon: number;
      learningRate: number;
    };
    const backend = cpuBackend();
    if (!backend) return super.applyGradients(variableGradients);
    const { beta1, beta2, epsilon } = self;
    const lr = self.learningRate;
    const correction1 = Math.fround(1 - (backend.readSync(self.accBeta1.dataId) as Float32Array)[0]);
    const correction2 = Math.fround(1 - (backend.readSync(self.accBeta2.dataId) as Float32Array)[0]);
    gradientsList(variableGradients).forEach(({ name, tensor }, i) => {
      const first = slot(self.accumulatedFirstMoment, i, name, 'm');
      const second = slot(self.accumulatedSecondMoment, i, name, 'v');
      if (tensor == null) return;
      const g = backend.readSync(tensor.dataId) as Float32Array;
      const w = updatable(backend, tf.engine().registeredVariables[name]);
      const m = updatable(backend, first);
      const v = updatable(backend, second);
      for (let k = 0; k < g.length; k++) {
        const gk = g[k];
        const mk = Math.fround(beta1 * m.read[k] + (1 - beta1) * gk);
        const vk = Math.fround(beta2 * v.read[k] + (1 - beta2) * gk * gk);
        m.write[k] = mk;
        v.write[k] = vk;
        w.write[k] = w.read[k] - (lr * (mk / correction1)) / (Math.sqrt(vk / correction2) + epsilon);
      }
      m.commit();
      v.commit();
      w.commit();
    });
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, beta2));
    });
    this.incrementIterations();
  }
}
