"""Batches as the studio makes them (batches.ts): each epoch's order is the studio's seeded
permutation, each global batch's augmentations are drawn in order from the studio's stream
for (seed, epoch, batch), so every engine and every number of processes sees the same
examples with the same draws. Under DDP each rank takes a contiguous share of every global
batch (the global batch stays the configured batch size) — a DistributedSampler that keeps
the studio's order instead of reshuffling."""
import math

import numpy as np
import torch
from torch.utils.data import Dataset, Sampler

from .augment import centre_augmentation, cut_input, draw_augmentation, image_to_input, swap_pairs
from .loss import joint_weight
from .rng import permutation, stream_for


def share(n: int, rank: int, world: int):
    """Rank's [start, end) of n items split in contiguous parts (the first n % world get one more)."""
    size, extra = divmod(n, world)
    start = rank * size + min(rank, extra)
    return start, start + size + (1 if rank < extra else 0)


def batch_count(count: int, batch_size: int) -> int:
    return math.ceil(count / batch_size)


class StudioBatchSampler(Sampler):
    """Yields, per global batch, this rank's items: (example index, augmentation, position in the global batch, batch index)."""

    def __init__(self, count, batch_size, seed, epoch, base, input_size, augment, flip, rank=0, world=1, start_batch=0):
        self.count, self.batch_size, self.seed, self.epoch = count, batch_size, seed, epoch
        self.base, self.input_size, self.augment, self.flip = base, input_size, augment, flip
        self.rank, self.world, self.start_batch = rank, world, start_batch

    def __len__(self):
        return batch_count(self.count, self.batch_size) - self.start_batch

    def __iter__(self):
        order = permutation(self.count, stream_for(self.seed, "shuffle", self.epoch))
        for b in range(self.start_batch, batch_count(self.count, self.batch_size)):
            chosen = order[b * self.batch_size : (b + 1) * self.batch_size]
            rng = stream_for(self.seed, "augment", self.epoch, b)
            augs = [draw_augmentation(rng, self.base, self.input_size, self.flip) if self.augment else centre_augmentation(self.base, self.input_size) for _ in chosen]
            start, end = share(len(chosen), self.rank, self.world)
            yield [(chosen[p], augs[p], p, b, len(chosen)) for p in range(start, end)]


class CropDataset(Dataset):
    """One split of a bundle; an item is (example index, augmentation, …) from the sampler."""

    def __init__(self, bundle, split: str, cache: bool = True):
        self.bundle = bundle
        self.examples = bundle.splits[split]
        self.config = bundle.config
        self.joints = self.config["joints"]
        self.cache = {} if cache else None

    def __len__(self):
        return len(self.examples)

    def rgb(self, index):
        if self.cache is None:
            return self.bundle.crop(self.examples[index])
        if index not in self.cache:
            self.cache[index] = self.bundle.crop(self.examples[index])
        return self.cache[index]

    def __getitem__(self, item):
        index, aug, position, batch, size = item
        example = self.examples[index]
        c, b, s = self.config, self.bundle.base, self.bundle.input_size
        pixels = cut_input(self.rgb(index), s, aug)
        joints = swap_pairs(example["joints"], c.get("flipPairs", [])) if aug[1] else example["joints"]
        target = np.zeros(self.joints * 2, dtype=np.float32)
        weights = np.zeros(self.joints, dtype=np.float32)
        for j, (x, y, v) in enumerate(joints):
            ix, iy = image_to_input((x, y), example["square"], b, s, aug)
            target[2 * j] = ix / s
            target[2 * j + 1] = iy / s
            weights[j] = joint_weight(v, c.get("useVisibility", True), c.get("countOccluded", True))
        return pixels, target, weights, (index, aug, position, batch, size)


def collate(items, joints: int, input_size: int):
    if not items:
        return (torch.zeros((0, input_size, input_size, 3)), torch.zeros((0, joints * 2)), torch.zeros((0, joints)), [])
    pixels = torch.from_numpy(np.stack([i[0] for i in items]))
    target = torch.from_numpy(np.stack([i[1] for i in items]))
    weights = torch.from_numpy(np.stack([i[2] for i in items]))
    return pixels, target, weights, [i[3] for i in items]


def dropout_masks(model, seed, epoch, batch, positions, device):
    """Per example, per dropout layer, a keep mask scaled by 1/keep, from a generator seeded by
    (seed, epoch, batch, position in the global batch): the same masks however the batch is split."""
    layers = model.dropout_layers()
    if not layers:
        return None
    widths = _dropout_widths(model)
    masks = []
    for li, spec in enumerate(layers):
        keep = 1 - spec["rate"]
        rows = []
        for p in positions:
            g = torch.Generator().manual_seed(stream_for(seed, "dropout", epoch, batch, p, li).seed())
            rows.append((torch.rand(widths[li], generator=g) < keep).float() / keep)
        masks.append((torch.stack(rows) if rows else torch.zeros((0, widths[li]))).to(device))
    return masks


def _dropout_widths(model):
    widths, last = [], None
    for spec in model.plan:
        if spec["kind"] == "dense":
            last = spec["units"]
        elif spec["kind"] == "dropout" and spec["rate"] > 0:
            widths.append(last)
    return widths
