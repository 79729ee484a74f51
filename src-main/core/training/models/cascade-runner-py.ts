// The exported cascade's runner, written beside every ONNX export as FILE.cascade.py: a small,
// self-contained Python program (numpy, and OpenCV's dnn or onnxruntime) that implements the
// crop rule README's "Running an exported model" states, so anyone can predict exactly as the
// studio does. test/integration/cascade-opencv-runner.test.ts runs it against the studio.
export const CASCADE_RUNNER_PY = `#!/usr/bin/env python3
"""Runs a DeepPose Studio cascade exported as ONNX, exactly as the studio predicts.

    python3 pose.cascade.py pose.cascade.json PICTURE [PICTURE ...] [--box X,Y,W,H] [--onnxruntime]

prints one JSON line per picture: {"picture", "stages": [[[x, y], ...] per stage]} in picture
pixels. Needs numpy and OpenCV (python3-opencv: decoding, and cv2.dnn for the networks), or
onnxruntime with --onnxruntime. The rule (README "Running an exported model"):

- every square is (x0, y0, side) in picture pixels, never rounded;
- stage 1 ('whole'): the picture padded to a square, x0 = (w - side) / 2, y0 = (h - side) / 2,
  side = max(w, h); with a person box, side = max(16, cropScale * its longer side) around its centre;
- 'person': the same box rule around the previous estimate's extent (width, height at least 1);
- 'joints': d = mean length of torsoPairs in the estimate, side = max(16, sigma * d), centred on
  each joint's estimate; crop j answers for joint j;
- a square becomes base x base pixels by one affine warp: base pixel (u, v) samples the picture
  at x = x0 + (u + 0.5) * side / base - 0.5 (y likewise), bilinear between the four
  neighbours, black outside the picture, rounded to the nearest level with halves up;
- the network sees the centre input x input of it at o = (base - input) // 2, RGB / 255;
- an output u (divided by input) maps back as x = (u * input + o) * side / base + x0.
"""
import json
import math
import sys

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


def network_input(rgb, square, base, size):
    o = (base - size) // 2
    cut = warp(rgb, square, base)[o:o + size, o:o + size]
    return (cut.astype(np.float64) / 255).astype(np.float32)


class Stage:
    def __init__(self, path, use_onnxruntime):
        if use_onnxruntime:
            import onnxruntime
            self.session = onnxruntime.InferenceSession(path, providers=['CPUExecutionProvider'])
            self.net = None
        else:
            import cv2
            self.net = cv2.dnn.readNetFromONNX(path)

    def run(self, batch):
        if self.net is None:
            return self.session.run(['joints'], {'image': batch})[0]
        self.net.setInput(batch)
        return self.net.forward()


def predict(description, stages, rgb, box=None):
    height, width = rgb.shape[:2]
    estimate = []
    history = []
    for s, stage in enumerate(description['stages']):
        kind = description['kinds'][s]
        base, size = stage['base'], stage['input']
        if kind == 'whole':
            squares = [whole_square(width, height, box, description['cropScale'])]
        elif kind == 'person':
            squares = [person_square(estimate, description['cropScale'])]
        else:
            diameter = pose_diameter(estimate, description['torsoPairs'])
            squares = [joint_square(p, diameter, description['sigma']) for p in estimate]
        batch = np.stack([network_input(rgb, q, base, size) for q in squares])
        out = np.asarray(stages[s].run(batch), dtype=np.float32).reshape(len(squares), -1)
        o = (base - size) // 2
        joints = out.shape[1] // 2

        def to_picture(row, j):
            x0, y0, side = squares[row]
            k = side / base
            return [(float(out[row, 2 * j]) * size + o) * k + x0, (float(out[row, 2 * j + 1]) * size + o) * k + y0]

        estimate = [to_picture(0 if len(squares) == 1 else j, j) for j in range(joints)]
        history.append(estimate)
    return history


def read_rgb(path):
    import cv2
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise SystemExit(f'{path}: cannot read the picture')
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def main(argv):
    use_onnxruntime = '--onnxruntime' in argv
    args = [a for a in argv if a != '--onnxruntime']
    box = None
    if '--box' in args:
        i = args.index('--box')
        box = [float(v) for v in args[i + 1].split(',')]
        del args[i:i + 2]
    if len(args) < 2:
        raise SystemExit(__doc__)
    import os
    description_path = args[0]
    with open(description_path) as f:
        description = json.load(f)
    folder = os.path.dirname(os.path.abspath(description_path))
    stages = [Stage(os.path.join(folder, s['file']), use_onnxruntime) for s in description['stages']]
    for picture in args[1:]:
        print(json.dumps({'picture': picture, 'stages': predict(description, stages, read_rgb(picture), box)}))


if __name__ == '__main__':
    main(sys.argv[1:])
`;
