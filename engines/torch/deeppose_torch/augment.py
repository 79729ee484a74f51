"""Pixel work after the crop (augment.ts) and the crop geometry (crop-geometry.ts): the
input-size cut at a drawn offset, the optional mirror, AlexNet's PCA lighting noise, and
where a joint lands in the input."""
import numpy as np

EIGVAL = [0.2175, 0.0188, 0.0045]
EIGVEC = [
    [-0.5675, 0.7192, 0.4009],
    [-0.5808, -0.0045, -0.814],
    [-0.5836, -0.6948, 0.4203],
]
LIGHTING_STD = 0.1


def draw_augmentation(rng, base: int, input_size: int, flip: bool):
    """(offset_x, offset_y, flipped, (lr, lg, lb)), drawn in the studio's order."""
    offset = (rng.int(base - input_size + 1), rng.int(base - input_size + 1))
    flipped = flip and rng.next() < 0.5
    alpha = [rng.normal() * LIGHTING_STD * v for v in EIGVAL]
    lighting = tuple(row[0] * alpha[0] + row[1] * alpha[1] + row[2] * alpha[2] for row in EIGVEC)
    return (offset, flipped, lighting)


def centre_augmentation(base: int, input_size: int):
    o = (base - input_size) // 2
    return ((o, o), False, (0.0, 0.0, 0.0))


def cut_input(rgb: np.ndarray, input_size: int, aug) -> np.ndarray:
    """rgb: [base, base, 3] uint8 -> [input, input, 3] float32 in [0, 1]."""
    (ox, oy), flipped, lighting = aug
    part = rgb[oy : oy + input_size, ox : ox + input_size, :]
    if flipped:
        part = part[:, ::-1, :]
    values = part.astype(np.float64) / 255 + np.asarray(lighting, dtype=np.float64)
    return np.clip(values, 0, 1).astype(np.float32)


def swap_pairs(joints, pairs):
    out = list(joints)
    for a, b in pairs:
        out[a], out[b] = joints[b], joints[a]
    return out


def image_to_input(point, square, base: int, input_size: int, aug):
    x0, y0, side = square
    (ox, oy), flipped, _ = aug
    scale = base / side
    x = (point[0] - x0) * scale - ox
    y = (point[1] - y0) * scale - oy
    return (input_size - x if flipped else x, y)


def input_to_image(point, square, base: int, input_size: int, aug):
    x0, y0, side = square
    (ox, oy), flipped, _ = aug
    x = input_size - point[0] if flipped else point[0]
    scale = side / base
    return ((x + ox) * scale + x0, (point[1] + oy) * scale + y0)
