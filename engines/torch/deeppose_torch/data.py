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
from .crop_rule import warp
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
    """One split of a bundle; an item is (position in the epoch's items, augmentation, …) from the
    sampler. The epoch's items are the examples themselves (stage 1: the bundle's crops), or, in
    the cascade's later stages, (example, square, focus joint) views cut from the pictures."""

    def __init__(self, bundle, split: str, cache: bool = True):
        self.bundle = bundle
        self.examples = bundle.splits[split]
        self.config = bundle.config
        self.joints = self.config["joints"]
        self.cache = {} if cache else None
        self.images = {}
        self.items = None  # None: each example once, in its crop-rule square

    def __len__(self):
        return len(self.examples) if self.items is None else len(self.items)

    def set_items(self, items):
        """(example index, square or None, focus joint or None) for the epoch about to be trained."""
        self.items = items

    def rgb(self, index):
        if self.cache is None:
            return self.bundle.crop(self.examples[index])
        if index not in self.cache:
            self.cache[index] = self.bundle.crop(self.examples[index])
        return self.cache[index]

    def image(self, example):
        """The example's whole picture, as the studio decoded it (the bundle's images/)."""
        key = example["image"] if "image" in example else None
        if key not in self.images:
            self.images[key] = self.bundle.image(example)
        return self.images[key]

    def __getitem__(self, item):
        position_in_items, aug, position, batch, size = item
        index, square, focus = (position_in_items, None, None) if self.items is None else self.items[position_in_items]
        example = self.examples[index]
        c, b, s = self.config, self.bundle.base, self.bundle.input_size
        rgb = self.rgb(index) if square is None else warp(self.image(example), square, b)
        pixels = cut_input(rgb, s, aug)
        pairs = c.get("flipPairs", [])
        joints = swap_pairs(example["joints"], pairs) if aug[1] else example["joints"]
        # After a mirror the focus joint sits in its partner's slot.
        if focus is not None and aug[1]:
            focus = next((bb if aa == focus else aa for aa, bb in pairs if focus in (aa, bb)), focus)
        target = np.zeros(self.joints * 2, dtype=np.float32)
        weights = np.zeros(self.joints, dtype=np.float32)
        for j, (x, y, v) in enumerate(joints):
            ix, iy = image_to_input((x, y), example["square"] if square is None else square, b, s, aug)
            target[2 * j] = ix / s
            target[2 * j + 1] = iy / s
            # A close-up teaches its focus joint, and every other joint that falls inside it.
            inside = ix >= 0 and iy >= 0 and ix <= s and iy <= s
            counted = focus is None or focus == j or inside
            weights[j] = joint_weight(v, c.get("useVisibility", True), c.get("countOccluded", True)) if counted else 0.0
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
