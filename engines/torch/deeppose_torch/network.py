"""The studio's DeepPose regressor, built from the layer plan the bundle carries (the studio's
network-plan.ts, so both engines read one plan). Weights are held in PyTorch's layout and
exported in TensorFlow.js' (conv kernels [kh, kw, in, out], dense [in, out]); the features are
flattened in NHWC order, as tfjs flattens them, so fc6's weights need no reordering."""
import math

import torch
from torch import nn
import torch.nn.functional as F


class PoseNet(nn.Module):
    def __init__(self, plan, input_size: int):
        super().__init__()
        self.plan = plan
        self.input_size = input_size
        self.layers = nn.ModuleDict()
        channels, side, features = 3, input_size, 0
        for spec in plan:
            kind = spec["kind"]
            if kind == "conv":
                k, s = spec["kernel"], spec["stride"]
                self.layers[spec["name"]] = nn.Conv2d(channels, spec["filters"], k, stride=s)
                side = math.ceil(side / s) if spec["padding"] == "same" else (side - k) // s + 1
                channels = spec["filters"]
            elif kind == "pool":
                side = (side - spec["size"]) // spec["stride"] + 1
            elif kind == "flatten":
                features = side * side * channels
            elif kind == "dense":
                self.layers[spec["name"]] = nn.Linear(features, spec["units"])
                features = spec["units"]

    def dropout_layers(self):
        return [spec for spec in self.plan if spec["kind"] == "dropout" and spec["rate"] > 0]

    def forward(self, x_nhwc, dropout_masks=None):
        """x: [N, H, W, 3] in [0, 1]. dropout_masks: one [N, features] tensor per dropout
        layer with rate > 0 (already scaled by 1/keep), or None for inference."""
        h = x_nhwc.permute(0, 3, 1, 2)
        d = 0
        for spec in self.plan:
            kind = spec["kind"]
            if kind == "conv":
                conv = self.layers[spec["name"]]
                if spec["padding"] == "same":
                    h = _pad_same(h, spec["kernel"], spec["stride"])
                h = F.relu(conv(h))
            elif kind == "pool":
                h = F.max_pool2d(h, spec["size"], spec["stride"])
            elif kind == "flatten":
                h = h.permute(0, 2, 3, 1).reshape(h.shape[0], -1)
            elif kind == "dense":
                h = self.layers[spec["name"]](h)
                if spec["relu"]:
                    h = F.relu(h)
            elif kind == "dropout" and spec["rate"] > 0 and dropout_masks is not None:
                h = h * dropout_masks[d]
                d += 1
        return h

    # -- weights in the studio's (tfjs) layout -------------------------------------------
    def tfjs_weights(self):
        """[(name, numpy float32 array)] in tfjs' order and layout: conv1/kernel, conv1/bias, …"""
        out = []
        for spec in self.plan:
            if spec["kind"] not in ("conv", "dense"):
                continue
            layer = self.layers[spec["name"]]
            w = layer.weight.detach().cpu()
            kernel = w.permute(2, 3, 1, 0) if spec["kind"] == "conv" else w.t()
            # copies: a view of the parameter would change under the next step
            out.append((f"{spec['name']}/kernel", kernel.numpy().copy()))
            out.append((f"{spec['name']}/bias", layer.bias.detach().cpu().numpy().copy()))
        return out

    @torch.no_grad()
    def load_tfjs_weights(self, named):
        """Inverse of tfjs_weights: named maps 'conv1/kernel' etc. to arrays in tfjs layout."""
        for spec in self.plan:
            if spec["kind"] not in ("conv", "dense"):
                continue
            layer = self.layers[spec["name"]]
            kernel = torch.as_tensor(named[f"{spec['name']}/kernel"], dtype=torch.float32)
            layer.weight.copy_(kernel.permute(3, 2, 0, 1) if spec["kind"] == "conv" else kernel.t())
            layer.bias.copy_(torch.as_tensor(named[f"{spec['name']}/bias"], dtype=torch.float32))

    @torch.no_grad()
    def initialise(self, seed: int):
        """Glorot-uniform kernels and zero biases, as the studio initialises; fc8's bias starts
        at 0.5 (the targets' centre). Drawn from PyTorch's generator: the values differ from
        tfjs', the distribution is the same."""
        g = torch.Generator().manual_seed(seed)
        dense = [s for s in self.plan if s["kind"] == "dense"]
        for spec in self.plan:
            if spec["kind"] not in ("conv", "dense"):
                continue
            layer = self.layers[spec["name"]]
            w = layer.weight
            if spec["kind"] == "conv":
                receptive = w.shape[2] * w.shape[3]
                fan_in, fan_out = w.shape[1] * receptive, w.shape[0] * receptive
            else:
                fan_in, fan_out = w.shape[1], w.shape[0]
            limit = math.sqrt(6 / (fan_in + fan_out))
            w.copy_(torch.rand(w.shape, generator=g) * 2 * limit - limit)
            layer.bias.fill_(0.5 if spec is dense[-1] else 0.0)


def _pad_same(h, kernel: int, stride: int):
    """TensorFlow's 'same' padding (the extra pixel, if any, goes after)."""
    side = h.shape[-1]
    out = math.ceil(side / stride)
    total = max(0, (out - 1) * stride + kernel - side)
    before = total // 2
    return F.pad(h, (before, total - before, before, total - before))
