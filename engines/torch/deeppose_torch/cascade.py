"""The cascade's later stages (DeepPose, section 3), as the studio's CPU engines train them:
the stage plan (src-shared/training/config.ts), the whole cascade over one picture
(inference/cascade.ts), the earlier stages' errors on the training set and the crops around
simulated estimates drawn from them (training/cascade/simulated-estimates.ts), with the
studio's seeded streams, so both engines draw the same displacements for the same errors."""
import math

import numpy as np
import torch

from .crop_rule import joint_square, person_square, pose_diameter, warp, whole_square
from .rng import stream_for

from .metrics import LSP_TORSO_PAIRS


# -- the stage plan ---------------------------------------------------------------------------
def stage_kind(config, stage: int) -> str:
    if stage == 1:
        return "whole"
    return "person" if stage == 2 and config.get("personStage", True) is not False else "joints"


def stage_epochs(config, stage: int) -> int:
    return config["epochs"] if stage == 1 else (config.get("refineEpochs") or config["epochs"])


def epochs_before_stage(config, stage: int) -> int:
    return sum(stage_epochs(config, s) for s in range(1, stage))


def total_epochs(config) -> int:
    return epochs_before_stage(config, config.get("stages", 1) + 1)


def stage_example_count(config, stage: int, train_count: int) -> int:
    return train_count * config.get("refineDraws", 4) if stage_kind(config, stage) == "joints" else train_count


def run_iterations(config, train_count: int) -> int:
    bs = config["batchSize"]
    return sum(math.ceil(stage_example_count(config, s, train_count) / bs) * stage_epochs(config, s) for s in range(1, config.get("stages", 1) + 1))


def stage_seed(seed: int, stage: int) -> int:
    """Stage s ≥ 2 starts from its own initial weights, drawn from the run's seed (trainer.ts)."""
    return seed if stage == 1 else seed + 7919 * (stage - 1)


def js_round(x: float) -> int:
    """Math.round: halves up (Python's round goes to even)."""
    return math.floor(x + 0.5)


def is_checkpoint_epoch(config, epoch: int) -> bool:
    """After a run-wide (1-based) epoch: every interval, and at each stage's end (config.ts)."""
    interval = config.get("checkpointEvery") or max(1, js_round(config["epochs"] / 10))
    first = 0
    stages = config.get("stages", 1)
    for s in range(1, stages + 1):
        n = stage_epochs(config, s)
        if epoch <= first + n or s == stages:
            return epoch % interval == 0 or epoch - first == n
        first += n
    return epoch % interval == 0


def rule_of(config, manifest=None):
    """The run's crop rule: the one the studio wrote into the bundle (cascade-files.ts' cascadeRule)."""
    if manifest and manifest.get("cascade"):
        return manifest["cascade"]
    return {
        "cropScale": config.get("cropScale", 1.5),
        "sigma": config.get("cascadeSigma", 2),
        "torsoPairs": config.get("torsoPairs") or LSP_TORSO_PAIRS,
        "kinds": [stage_kind(config, s) for s in range(1, config.get("stages", 1) + 1)],
    }


# -- the cascade over one picture ---------------------------------------------------------------
class StageNet:
    """One stage's network with its input side and the base its crops are scaled to."""

    def __init__(self, model, base: int, input_size: int, device):
        self.model, self.base, self.input, self.device = model, base, input_size, device

    @torch.no_grad()
    def predict(self, pixels: np.ndarray) -> np.ndarray:
        return self.model(torch.from_numpy(pixels).to(self.device)).cpu().numpy()


def centre_offset(base: int, input_size: int) -> int:
    return (base - input_size) // 2


def view_pixels(rgb, square, base: int, input_size: int) -> np.ndarray:
    """cutView: the square warped to base, the centre input × input, RGB / 255 as float32."""
    o = centre_offset(base, input_size)
    cut = warp(rgb, square, base)[o : o + input_size, o : o + input_size]
    return (cut.astype(np.float64) / 255).astype(np.float32)


def to_image(output_xy, square, base: int, input_size: int):
    """inputToImage of one network answer (÷ input side) through its centre view."""
    x0, y0, side = square
    o = centre_offset(base, input_size)
    scale = side / base
    return ((output_xy[0] * input_size + o) * scale + x0, (output_xy[1] * input_size + o) * scale + y0)


def to_input(point, square, base: int, input_size: int):
    """imageToInput of an image point into a centre view, in input pixels."""
    x0, y0, side = square
    o = centre_offset(base, input_size)
    scale = base / side
    return ((point[0] - x0) * scale - o, (point[1] - y0) * scale - o)


def stage_views(kind, image_size, box, estimate, rule):
    if kind == "whole":
        return [whole_square(image_size[0], image_size[1], box, rule["cropScale"])]
    if kind == "person":
        return [person_square(estimate, rule["cropScale"])]
    diameter = pose_diameter(estimate, rule["torsoPairs"])
    return [joint_square(p, diameter, rule["sigma"]) for p in estimate]


def predict_cascade(rgb, box, nets, rule):
    """Stages 1..len(nets) on one picture: (joints after each stage, the last stage's (square, answer) per joint)."""
    height, width = rgb.shape[:2]
    estimate, stages, last = [], [], []
    for s, net in enumerate(nets):
        kind = rule["kinds"][s] if s < len(rule["kinds"]) else ("whole" if s == 0 else "joints")
        squares = stage_views(kind, (width, height), box, estimate, rule)
        out = net.predict(np.stack([view_pixels(rgb, q, net.base, net.input) for q in squares]))
        count = out.shape[1] // 2
        last = []
        for j in range(count):
            row = 0 if len(squares) == 1 else j
            last.append((squares[row], (float(out[row, 2 * j]), float(out[row, 2 * j + 1]))))
        estimate = [to_image(answer, square, net.base, net.input) for square, answer in last]
        stages.append(estimate)
    return estimate, stages, last


# -- simulated estimates ------------------------------------------------------------------------
def _diameter_of(points, pairs):
    """poseDiameter over points that may hold None (pairs already filtered to labeled ones)."""
    lengths = [math.hypot(points[a][0] - points[b][0], points[a][1] - points[b][1]) for a, b in pairs if points[a] is not None and points[b] is not None]
    if lengths:
        return sum(lengths) / len(lengths)
    xs = [p[0] for p in points if p is not None]
    ys = [p[1] for p in points if p is not None]
    return max(max(xs) - min(xs), max(ys) - min(ys)) / 2


def truth_diameter(joints, torso_pairs):
    """The torso diameter of the labeled joints, or None."""
    labeled = [[x, y] if v > 0 else None for x, y, v in joints]
    pairs = [[a, b] for a, b in torso_pairs if labeled[a] is not None and labeled[b] is not None]
    points = [p for p in labeled if p is not None]
    if len(points) < 2:
        return None
    d = _diameter_of(labeled, pairs) if pairs else _diameter_of(points, [])
    return d if d > 0 else None


def extent(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(1, max(xs) - min(xs), max(ys) - min(ys)))


def observe_errors(nets, examples, image_of, rule, joints: int, should_stop=lambda: False):
    """The earlier stages' errors on the training examples, in units of each truth's torso diameter
    (ObservedErrors: per joint [dx, dy, diameter ratio], per example the person's [dx, dy, size ratio])."""
    errors = {"joints": [[] for _ in range(joints)], "person": []}
    for example in examples:
        if should_stop():
            break
        diameter = truth_diameter(example["joints"], rule["torsoPairs"])
        if diameter is None:
            continue
        estimate, _, _ = predict_cascade(image_of(example), example["box"], nets, rule)
        ratio = pose_diameter(estimate, rule["torsoPairs"]) / diameter
        for j, (x, y, v) in enumerate(example["joints"]):
            if v > 0:
                errors["joints"][j].append([(estimate[j][0] - x) / diameter, (estimate[j][1] - y) / diameter, ratio])
        truth = extent([[x, y] for x, y, v in example["joints"] if v > 0])
        guess = extent(estimate)
        errors["person"].append([(guess[0] - truth[0]) / diameter, (guess[1] - truth[1]) / diameter, guess[2] / truth[2]])
    return errors


def mean_errors(errors):
    """Each joint's mean observed error (distance, in torso diameters): simulated-estimates.ts' meanErrors."""
    return [sum(math.hypot(row[0], row[1]) for row in rows) / len(rows) if rows else 0 for rows in errors["joints"]]


def weighted_pick(candidates, weight, u: float) -> int:
    """One of `candidates` with probability proportional to its weight (the studio's weightedPick)."""
    left = u * sum(weight[j] for j in candidates)
    for j in candidates:
        left -= weight[j]
        if left < 0:
            return j
    return candidates[-1]


def refinement_items(examples, errors, rule, draws: int, seed: int, epoch: int, focus_by: str = "uniform"):
    """One epoch's joint close-ups: (example index, square, focus joint), `draws` per example;
    `focus_by` 'error' draws each joint in proportion to its mean observed error."""
    rng = stream_for(seed, "simulate", epoch)
    weight = mean_errors(errors) if focus_by == "error" else [1] * len(errors["joints"])
    out = []
    for i, example in enumerate(examples):
        diameter = truth_diameter(example["joints"], rule["torsoPairs"])
        candidates = [j for j, (_, _, v) in enumerate(example["joints"]) if v > 0 and len(errors["joints"][j]) > 0 and weight[j] > 0]
        if diameter is None or not candidates:
            continue
        for _ in range(draws):
            focus = weighted_pick(candidates, weight, rng.next())
            dx, dy, ratio = errors["joints"][focus][rng.int(len(errors["joints"][focus]))]
            x, y, _ = example["joints"][focus]
            out.append((i, joint_square([x + dx * diameter, y + dy * diameter], ratio * diameter, rule["sigma"]), focus))
    return out


def person_items(examples, errors, rule, seed: int, epoch: int):
    """One epoch of a 'person' stage: each example once, around a simulated estimate's extent
    (its own crop-rule square when it has no torso or no errors were measured)."""
    rng = stream_for(seed, "simulate", epoch)
    out = []
    for i, example in enumerate(examples):
        diameter = truth_diameter(example["joints"], rule["torsoPairs"])
        if diameter is None or not errors["person"]:
            out.append((i, None, None))
            continue
        dx, dy, ratio = errors["person"][rng.int(len(errors["person"]))]
        tx, ty, tside = extent([[x, y] for x, y, v in example["joints"] if v > 0])
        side = tside * ratio
        cx, cy = tx + dx * diameter, ty + dy * diameter
        out.append((i, person_square([[cx - side / 2, cy - side / 2], [cx + side / 2, cy + side / 2]], rule["cropScale"]), None))
    return out
