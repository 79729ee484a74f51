"""The crop rule of every cascade stage, as README's "Running an exported model" states it:
the squares (never rounded) and the one affine warp that makes a square base x base pixels.
These functions are the exported runner's (training/models/cascade-runner-py.ts) letter for
letter (test/unit/torch-crop-rule.test.ts holds them equal), and the studio's pose/ code
computes the same numbers in the same order, so the engine trains on the studio's pixels
(test/integration/torch-cascade.test.ts compares them)."""
import math

import numpy as np

MIN_SIDE = 16.0


def box_square(left, top, width, height, crop_scale):
    side = max(MIN_SIDE, max(width, height) * crop_scale)
    return (left + width / 2 - side / 2, top + height / 2 - side / 2, side)


def whole_square(width, height, box, crop_scale):
    if box is not None and box[2] > 0 and box[3] > 0:
        return box_square(box[0], box[1], box[2], box[3], crop_scale)
    side = max(width, height)
    return ((width - side) / 2, (height - side) / 2, side)


def person_square(estimate, crop_scale):
    xs = [p[0] for p in estimate]
    ys = [p[1] for p in estimate]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return box_square(left, top, max(1, right - left), max(1, bottom - top), crop_scale)


def pose_diameter(estimate, torso_pairs):
    if torso_pairs:
        total = 0.0
        for a, b in torso_pairs:
            total += math.hypot(estimate[a][0] - estimate[b][0], estimate[a][1] - estimate[b][1])
        return total / len(torso_pairs)
    xs = [p[0] for p in estimate]
    ys = [p[1] for p in estimate]
    return max(max(xs) - min(xs), max(ys) - min(ys)) / 2


def joint_square(centre, diameter, sigma):
    side = max(MIN_SIDE, sigma * diameter)
    return (centre[0] - side / 2, centre[1] - side / 2, side)


def warp(rgb, square, base):
    """The square as base x base uint8 RGB: one affine warp, bilinear, black outside."""
    x0, y0, side = square
    height, width = rgb.shape[:2]
    s = side / base
    grid = np.arange(base, dtype=np.float64)
    xs = x0 + (grid + 0.5) * s - 0.5
    ys = y0 + (grid + 0.5) * s - 0.5
    ix = np.floor(xs)
    iy = np.floor(ys)
    fx = (xs - ix)[None, :, None]
    fy = (ys - iy)[:, None, None]
    ix = ix.astype(np.int64)[None, :]
    iy = iy.astype(np.int64)[:, None]
    pixels = rgb.astype(np.float64)

    def at(y, x):
        inside = (x >= 0) & (x < width) & (y >= 0) & (y < height)
        return pixels[np.clip(y, 0, height - 1), np.clip(x, 0, width - 1)] * inside[..., None]

    value = (1 - fy) * ((1 - fx) * at(iy, ix) + fx * at(iy, ix + 1)) + fy * ((1 - fx) * at(iy + 1, ix) + fx * at(iy + 1, ix + 1))
    return np.floor(value + 0.5).astype(np.uint8)
