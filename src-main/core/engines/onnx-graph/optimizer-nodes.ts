// The optimizer update as graph nodes, with tfjs' formulas (tfjs/fused-optimizers.ts), so that
// the state written back to tfjs and into checkpoints is the state tfjs would have:
//   Momentum: v ← m·v + g; w ← w + (−lr)·v   (each product and sum rounded to float32, as
//             tfjs' kernels round them)
//   Adam:     m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
//             w ← w − lr·(m / c1) / (√(v / c2) + ε), with c = 1 − β^t fed per step.
// Hyperparameters are scalar graph inputs: the learning-rate schedule changes them per epoch.
//
// The runner has ORT write each next weight and slot over the one it read (outputs bound to
// the input arrays). That is safe only if every other reader of the old value runs first:
// a slot's only other reader is the Mul just before the write; a weight is read by the
// forward pass and by the layer's input gradient, so the update's learning rate is made to
// depend on that gradient (lr + 0·dx[0]), which orders it after.
import type { GraphBuilder } from './graph-builder';
import type { OptimizerKind } from '../train-step';

export interface UpdateNames {
  weight: string;
  /**
   * Momentum on a dense kernel: the gradient's Gemm operands (aᵀ·b) and the momentum, so that
   * v ← m·v + aᵀb is one Gemm (beta = m, C = v) and the gradient (151 MB for fc6 at batch 32)
   * never exists on its own. Rounds once where tfjs rounds twice: parity holds to rounding.
   */
  gemm?: { a: string; b: string; momentum: number };
  /** A tensor computed after the last other read of `weight` (the layer's input gradient), if any. */
  after?: string;
  /** Unused when `gemm` is given. */
  gradient: string;
  /** State inputs, one per slot. */
  state: string[];
  nextWeight: string;
  nextState: string[];
}

/** `scalar`, made to depend on `after` without changing its value (a NaN there stays a NaN). */
function ordered(b: GraphBuilder, scalar: string, after: string | undefined): string {
  if (!after) return scalar;
  const first = b.node('Slice', [b.node('Reshape', [after, b.int([-1])]), b.int([0]), b.int([1])]);
  return b.node('Add', [scalar, b.node('Mul', [first, b.scalar(0)])]);
}

export function addUpdate(b: GraphBuilder, kind: OptimizerKind, u: UpdateNames): void {
  if (kind === 'momentum') {
    const v = u.gemm
      ? b.node(
          'Gemm',
          [u.gemm.a, u.gemm.b, u.state[0]],
          { transA: 1, beta: { float: u.gemm.momentum } },
          u.nextState[0],
        )
      : b.node('Add', [b.node('Mul', ['momentum', u.state[0]]), u.gradient], {}, u.nextState[0]);
    b.node('Add', [u.weight, b.node('Mul', [ordered(b, 'neg_lr', u.after), v])], {}, u.nextWeight);
    return;
  }
  const m = b.node(
    'Add',
    [b.node('Mul', ['beta1', u.state[0]]), b.node('Mul', ['one_minus_beta1', u.gradient])],
    {},
    u.nextState[0],
  );
  const squared = b.node('Mul', [u.gradient, u.gradient]);
  const v = b.node(
    'Add',
    [b.node('Mul', ['beta2', u.state[1]]), b.node('Mul', ['one_minus_beta2', squared])],
    {},
    u.nextState[1],
  );
  const step = b.node('Mul', [ordered(b, 'lr', u.after), b.node('Div', [m, 'correction1'])]);
  const denominator = b.node('Add', [b.node('Sqrt', [b.node('Div', [v, 'correction2'])]), 'epsilon']);
  b.node('Sub', [u.weight, b.node('Div', [step, denominator])], {}, u.nextWeight);
}
