"""One and two steps of the PyTorch engine against the studio's CPU step (tfjs' cpu backend,
the studio's fused optimizers), from the same weights, batch and dropout masks: the numbers in
fixtures/studio-step.json, written by test/unit/torch-step-fixture.test.ts. Tolerances as the
studio's own step-parity test (test/integration/engine-step-parity.test.ts) uses them: weights
within 1e-4 of their layer's largest magnitude, updates within 1e-3 (MomentumSGD) / 5e-2 (Adam,
whose first step is lr·g/(|g|+ε)) of the largest update; the loss within 1e-5 relative."""
import json
import math
import os

import numpy as np
import pytest
import torch

from deeppose_torch.loss import pose_loss
from deeppose_torch.network import PoseNet
from deeppose_torch.optimizers import StudioOptimizer

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "studio-step.json")
LOSS_TOLERANCE = 1e-5
WEIGHT_TOLERANCE = 1e-4
UPDATE_TOLERANCE = {"MomentumSGD": 1e-3, "Adam": 5e-2}

with open(FIXTURE) as f:
    MODELS = json.load(f)["models"]


def formula_weights(model):
    """test/unit/torch-step-fixture.test.ts' formulaWeight, over tfjs' weights in order."""
    named = {}
    for layer, (name, array) in enumerate(model.tfjs_weights()):
        shape = array.shape
        fan_in = shape[0] * shape[1] * shape[2] if len(shape) == 4 else shape[0]
        fan_out = shape[0] * shape[1] * shape[3] if len(shape) == 4 else (shape[1] if len(shape) > 1 else shape[0])
        limit = 0.05 if len(shape) == 1 else math.sqrt(6 / (fan_in + fan_out))
        k = np.arange(array.size, dtype=np.int64)
        named[name] = ((((k * 7919 + layer * 104729) % 2001) - 1000) / 1000 * limit).astype(np.float32).reshape(shape)
    return named


def formula_batch(size, input_size, joints):
    k = np.arange(size * input_size * input_size * 3, dtype=np.int64)
    pixels = (((k * 7907) % 1000) / 999).astype(np.float32).reshape(size, input_size, input_size, 3)
    k = np.arange(size * joints * 2, dtype=np.int64)
    targets = (0.2 + ((k * 40503) % 601) / 1000).astype(np.float32).reshape(size, joints * 2)
    k = np.arange(size * joints)
    weights = np.where(k % 7 == 3, 0, 1).astype(np.float32).reshape(size, joints)
    return torch.from_numpy(pixels), torch.from_numpy(targets), torch.from_numpy(weights)


CASES = [(m, s) for m in MODELS for s in m["steps"]]


@pytest.mark.parametrize("model_fixture,steps", CASES, ids=[f"{m['model']}-{s['optimizer']}" for m, s in CASES])
def test_one_step_matches_the_studio(model_fixture, steps):
    torch.set_num_threads(max(1, torch.get_num_threads()))
    joints, input_size = model_fixture["joints"], model_fixture["inputSize"]
    model = PoseNet(model_fixture["plan"], input_size)
    initial = formula_weights(model)
    model.load_tfjs_weights(initial)
    optimizer = StudioOptimizer(model.parameters(), steps["optimizer"], steps["lr"], 0.9)
    pixels, targets, weights = formula_batch(steps["batch"], input_size, joints)
    masks = None
    if steps["masks"]:
        keep = 1 - next(s["rate"] for s in model_fixture["plan"] if s["kind"] == "dropout")
        masks = [torch.tensor([float(c) for c in bits]).reshape(steps["batch"], -1) / keep for bits in steps["masks"]]
    losses, after = [], None
    for step in range(2):
        optimizer.zero_grad()
        loss = pose_loss(model(pixels, masks), targets, weights)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
        if step == 0:
            after = dict(model.tfjs_weights())
    report = []
    for s, (mine, theirs) in enumerate(zip(losses, steps["losses"])):
        relative = abs(mine - theirs) / abs(theirs)
        report.append(f"loss {s + 1}: {mine:.8f} vs {theirs:.8f} ({relative:.1e})")
        assert relative <= LOSS_TOLERANCE, report[-1]
    worst_weight = worst_update = 0.0
    for name, kept in steps["after"].items():
        layer = name.split("/")[0]
        scale = max(float(np.max(np.abs(initial[f"{layer}/{part}"]))) for part in ("kernel", "bias")) or 1
        got = after[name].reshape(-1)[kept["index"]]
        was = initial[name].reshape(-1)[kept["index"]]
        expected = np.asarray(kept["value"], dtype=np.float64)
        worst_weight = max(worst_weight, float(np.max(np.abs(got - expected))) / scale)
        update = float(np.max(np.abs((got - was) - (expected - was)))) / kept["updateMax"]
        worst_update = max(worst_update, update)
        assert np.max(np.abs(got - expected)) <= WEIGHT_TOLERANCE * scale, f"{name}: weights off"
        assert update <= UPDATE_TOLERANCE[steps["optimizer"]], f"{name}: update off by {update:.1e} of the largest"
        total = float(np.sum(after[name].astype(np.float64) - initial[name]))
        assert abs(total - kept["updateSum"]) <= UPDATE_TOLERANCE[steps["optimizer"]] * kept["updateMax"] * after[name].size ** 0.5 + 1e-9, f"{name}: summed update {total} vs {kept['updateSum']}"
    print(f"{model_fixture['model']} {steps['optimizer']}: {'; '.join(report)}; weights {worst_weight:.1e} of layer scale, updates {worst_update:.1e} of the largest")
