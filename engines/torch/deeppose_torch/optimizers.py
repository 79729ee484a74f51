"""MomentumSGD and Adam with the studio's formulas (fused-optimizers.ts, tfjs' optimizers):
  Momentum: v ← m·v + g;  w ← w − lr·v
  Adam:     m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
            w ← w − lr·(m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε),  β1 0.9, β2 0.999, ε 1e-7 (tfjs')."""
import numpy as np
import torch

ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPSILON = 1e-7  # tfjs' backend epsilon for float32, which tf.train.adam uses by default


class StudioOptimizer:
    def __init__(self, params, kind: str, lr: float, momentum: float = 0.9):
        self.params = [p for p in params]
        self.kind = kind
        self.lr = lr
        self.momentum = momentum
        self.steps = 0
        self.slots = [[torch.zeros_like(p) for p in self.params] for _ in range(2 if kind == "Adam" else 1)]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.steps += 1
        if self.kind == "Adam":
            c1 = 1 - ADAM_BETA1 ** self.steps
            c2 = 1 - ADAM_BETA2 ** self.steps
            for p, m, v in zip(self.params, self.slots[0], self.slots[1]):
                g = p.grad
                m.mul_(ADAM_BETA1).add_(g, alpha=1 - ADAM_BETA1)
                v.mul_(ADAM_BETA2).addcmul_(g, g, value=1 - ADAM_BETA2)
                p.sub_(self.lr * (m / c1) / (torch.sqrt(v / c2) + ADAM_EPSILON))
        else:
            for p, v in zip(self.params, self.slots[0]):
                v.mul_(self.momentum).add_(p.grad)
                p.sub_(self.lr * v)

    def tfjs_state(self, names):
        """(specs, byte parts) as tfjs' optimizers save their state (optimizer.ts): the step count
        ('iter', int32), then each slot per weight in tfjs' layout, Adam's first moments first."""
        specs = [{"name": "iter", "shape": [], "dtype": "int32"}]
        parts = [np.asarray([self.steps], dtype="<i4").tobytes()]
        suffixes = ["m", "v"] if self.kind == "Adam" else ["momentum"]
        for suffix, group in zip(suffixes, self.slots):
            for name, slot in zip(names, group):
                t = slot.detach().cpu()
                t = t.permute(2, 3, 1, 0) if t.dim() == 4 else (t.t() if t.dim() == 2 else t)
                array = np.ascontiguousarray(t.numpy(), dtype="<f4")
                specs.append({"name": f"{name}/{suffix}", "shape": list(array.shape), "dtype": "float32"})
                parts.append(array.tobytes())
        return specs, parts

    def state_dict(self):
        return {"kind": self.kind, "steps": self.steps, "slots": [[s.clone() for s in group] for group in self.slots]}

    def load_state_dict(self, state):
        if state["kind"] != self.kind:
            raise ValueError(f"the checkpoint's optimizer is {state['kind']}, this run asks for {self.kind}")
        self.steps = state["steps"]
        for group, saved in zip(self.slots, state["slots"]):
            for s, t in zip(group, saved):
                s.copy_(t)


def learning_rate_at(config, epoch: int) -> float:
    """The learning rate for a 0-based epoch (optimizer.ts' learningRateAt)."""
    schedule = config.get("lrSchedule")
    if not schedule:
        return config["lr"]
    return config["lr"] * schedule["gamma"] ** (epoch // schedule["everyEpochs"])
