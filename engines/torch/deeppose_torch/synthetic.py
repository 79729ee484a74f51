"""Synthetic run bundles (random crops, random joints) for tests and timing checks: the studio
writes real ones; these need nothing but this package, so a GPU machine without Node can time
the engine (`python -m deeppose_torch.synthetic OUT --plan-from FILE`)."""
import argparse
import hashlib
import json
import os

import numpy as np
from PIL import Image

from . import BUNDLE_FORMAT
from .cascade import rule_of
from .crop_rule import warp


def tiny_plan(joints, dropout=0.0, widths=(16, 32, 48, 48, 32), fc=(128, 128)):
    """alexnet-tiny's layer plan (network-plan.ts), here only to make test bundles."""
    c1, c2, c3, c4, c5 = widths
    return [
        {"kind": "conv", "name": "conv1", "filters": c1, "kernel": 11, "stride": 4, "padding": "valid"},
        {"kind": "pool", "name": "pool1", "size": 3, "stride": 2},
        {"kind": "conv", "name": "conv2", "filters": c2, "kernel": 5, "stride": 1, "padding": "same"},
        {"kind": "pool", "name": "pool2", "size": 3, "stride": 2},
        {"kind": "conv", "name": "conv3", "filters": c3, "kernel": 3, "stride": 1, "padding": "same"},
        {"kind": "conv", "name": "conv4", "filters": c4, "kernel": 3, "stride": 1, "padding": "same"},
        {"kind": "conv", "name": "conv5", "filters": c5, "kernel": 3, "stride": 1, "padding": "same"},
        {"kind": "pool", "name": "pool5", "size": 3, "stride": 2},
        {"kind": "flatten", "name": "flatten"},
        {"kind": "dense", "name": "fc6", "units": fc[0], "relu": True},
        {"kind": "dropout", "name": "drop6", "rate": dropout},
        {"kind": "dense", "name": "fc7", "units": fc[1], "relu": True},
        {"kind": "dropout", "name": "drop7", "rate": dropout},
        {"kind": "dense", "name": "fc8", "units": joints * 2, "relu": False},
    ]


def make_bundle(root, train=24, val=6, joints=14, batch_size=16, epochs=1, dropout=0.5, seed=3, optimizer="Adam", lr=1e-3, network=None, stages=1, refine_draws=2):
    """network: {"model", "inputSize", "base", "plan"} (default alexnet-tiny's plan). With stages > 1
    each example also carries its whole picture (images/), which the later stages crop from."""
    rng = np.random.default_rng(seed)
    network = network or {"model": "alexnet-tiny", "inputSize": 96, "base": 108, "plan": tiny_plan(joints, dropout)}
    base, input_size = network["base"], network["inputSize"]
    files = {}
    splits = {}
    for split, count in (("train", train), ("val", val)):
        examples = []
        os.makedirs(os.path.join(root, "crops", split), exist_ok=True)
        if stages > 1:
            os.makedirs(os.path.join(root, "images"), exist_ok=True)
        for i in range(count):
            rel = f"crops/{split}/{i:05d}.png"
            side = 200
            example = {"crop": rel, "square": [0, 0, side], "width": side, "height": side, "box": None, "imagePath": f"/nowhere/{split}-{i}.png"}
            if stages > 1:
                picture = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
                example["image"] = f"images/{split}-{i:05d}.png"
                Image.fromarray(picture).save(os.path.join(root, example["image"]))
                Image.fromarray(warp(picture, (0, 0, side), base)).save(os.path.join(root, rel))
            else:
                Image.fromarray(rng.integers(0, 256, (base, base, 3), dtype=np.uint8)).save(os.path.join(root, rel))
            pts = [[float(x), float(y), int(v)] for x, y, v in zip(rng.uniform(20, 180, joints), rng.uniform(20, 180, joints), rng.choice([0, 1, 2, 2], joints))]
            for a in (2, 3, 8, 9):
                pts[a][2] = 2
            examples.append({**example, "joints": pts})
        splits[split] = f"{split}.json"
        with open(os.path.join(root, f"{split}.json"), "w") as f:
            json.dump(examples, f)
    config = {"model": network["model"], "optimizer": optimizer, "lr": lr, "momentum": 0.9, "epochs": epochs, "batchSize": batch_size, "seed": seed,
              "valEvery": 1, "keepCheckpoints": 1, "lrSchedule": None, "useVisibility": True, "countOccluded": True, "augment": True, "flip": True,
              "flipPairs": [[0, 5], [1, 4], [2, 3], [6, 11], [7, 10], [8, 9]], "joints": joints, "cropScale": 1.5, "stages": stages, "personStage": True, "cascadeSigma": 2, "refineDraws": refine_draws}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            files[os.path.relpath(path, root)] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    manifest = {"format": BUNDLE_FORMAT, "config": config, "network": network, "cascade": rule_of(config),
                "splits": splits, "files": files}
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return root


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m deeppose_torch.synthetic", description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--plan-from", help="a JSON file with a model's plan: a bundle manifest or the parity fixture (tests/fixtures/studio-step.json)")
    parser.add_argument("--model", default="alexnet")
    parser.add_argument("--train", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--optimizer", default="MomentumSGD")
    parser.add_argument("--lr", type=float, default=0.01)
    args = parser.parse_args(argv)
    network = None
    if args.plan_from:
        with open(args.plan_from) as f:
            source = json.load(f)
        if "network" in source:
            network = source["network"]
        else:
            m = next(m for m in source["models"] if m["model"] == args.model)
            network = {"model": m["model"], "inputSize": m["inputSize"], "base": round(m["inputSize"] * 256 / 227), "plan": m["plan"]}
    make_bundle(args.out, train=args.train, val=0, batch_size=args.batch_size, epochs=1000, optimizer=args.optimizer, lr=args.lr, network=network)
    print(args.out)


if __name__ == "__main__":
    main()
