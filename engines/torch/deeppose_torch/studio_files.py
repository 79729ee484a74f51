"""The studio's own files, read without the studio: a TensorFlow.js layers model folder
(model.json's weightsManifest + weights.bin), the engine's weights folder (weights.json +
weights.bin), and a CPU engine's checkpoint folder (model/, optimizer.json + optimizer.bin in
tfjs' order: the iteration count, then each slot per weight, Adam's first moments before its
second; progress.json), so a run the CPU engines started goes on here."""
import json
import os
import re

import numpy as np
import torch

_WEIGHT_NAME = re.compile(r"^.*?((conv|fc)\d+/(kernel|bias))(_\d+)?$")


def _split(blob, specs, what):
    named, offset = [], 0
    for spec in specs:
        count = int(np.prod(spec["shape"])) if spec["shape"] else 1
        dtype = "<i4" if spec.get("dtype") == "int32" else "<f4"
        named.append((spec["name"], np.frombuffer(blob, dtype=dtype, count=count, offset=offset * 4).reshape(spec["shape"]).copy()))
        offset += count
    if offset * 4 != len(blob):
        raise ValueError(f"{what} holds {len(blob)} bytes, its specs describe {offset * 4}")
    return named


def _layer_key(name):
    match = _WEIGHT_NAME.match(name)
    if not match:
        raise ValueError(f"unexpected weight name {name!r}")
    return match.group(1)


def read_weights_folder(folder):
    """The engine's weights.json + weights.bin as {'conv1/kernel': array in tfjs layout, …}."""
    with open(os.path.join(folder, "weights.json")) as f:
        specs = json.load(f)["weights"]
    with open(os.path.join(folder, "weights.bin"), "rb") as f:
        return dict(_split(f.read(), specs, os.path.join(folder, "weights.bin")))


def read_model_folder(folder):
    """A TensorFlow.js layers folder (model.json + weights.bin) as {'conv1/kernel': array, …}."""
    with open(os.path.join(folder, "model.json")) as f:
        manifest = json.load(f)["weightsManifest"]
    named = []
    for group in manifest:
        blob = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        named += _split(blob, group["weights"], os.path.join(folder, group["paths"][0]))
    return {_layer_key(n): a for n, a in named}


def _torch_layout(array):
    t = torch.as_tensor(array, dtype=torch.float32)
    if t.dim() == 4:
        return t.permute(3, 2, 0, 1).contiguous()
    if t.dim() == 2:
        return t.t().contiguous()
    return t


def read_studio_checkpoint(folder):
    """(weights, StudioOptimizer state, progress) of a checkpoint folder: a CPU engine's, or this
    engine's (the same files, with model/ as weights.json + weights.bin)."""
    with open(os.path.join(folder, "progress.json")) as f:
        progress = json.load(f)
    model = os.path.join(folder, "model")
    weights = read_model_folder(model) if os.path.exists(os.path.join(model, "model.json")) else read_weights_folder(model)
    with open(os.path.join(folder, "optimizer.json")) as f:
        spec = json.load(f)
    with open(os.path.join(folder, "optimizer.bin"), "rb") as f:
        tensors = _split(f.read(), spec["tensors"], os.path.join(folder, "optimizer.bin"))
    kind = {"Momentum": "MomentumSGD", "Adam": "Adam"}.get(spec["className"])
    if kind is None:
        raise ValueError(f"{folder}: optimizer {spec['className']} is not one this engine trains")
    steps = 0
    if tensors and tensors[0][0] == "iter":
        steps = int(tensors[0][1].reshape(-1)[0])
        tensors = tensors[1:]
    slots = [_torch_layout(a) for _, a in tensors]
    groups = [slots] if kind == "MomentumSGD" else [slots[: len(slots) // 2], slots[len(slots) // 2 :]]
    return weights, {"kind": kind, "steps": steps, "slots": groups}, {**progress, "stage": progress.get("stage", 1)}
