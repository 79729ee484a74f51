"""Reads a run bundle the studio wrote (src-main/core/torch/run-bundle.ts): the
manifest with every file's sha256, the frozen settings, the layer plan, and each split's
examples as pre-scaled crops (the studio's own crop of the image, base × base pixels) with
their joints in image pixels and the square each crop shows; for a cascade, each picture as the
studio decoded it (images/, lossless), which the later stages' crops are cut from."""
import hashlib
import json
import os

import numpy as np
from PIL import Image

from . import BUNDLE_FORMAT


class BundleError(Exception):
    pass


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Bundle:
    def __init__(self, root: str, verify: bool = True):
        self.root = os.path.abspath(root)
        path = os.path.join(self.root, "manifest.json")
        try:
            with open(path) as f:
                self.manifest = json.load(f)
        except (OSError, ValueError) as error:
            raise BundleError(f"{path}: not a readable run bundle manifest ({error})") from error
        if self.manifest.get("format") != BUNDLE_FORMAT:
            raise BundleError(f"{path}: format is {self.manifest.get('format')!r}, expected {BUNDLE_FORMAT!r}")
        if verify:
            for rel, digest in self.manifest["files"].items():
                actual = sha256_of(os.path.join(self.root, rel))
                if actual != digest:
                    raise BundleError(f"{os.path.join(self.root, rel)}: sha256 {actual} differs from the manifest's {digest}")
        self.config = self.manifest["config"]
        network = self.manifest["network"]
        self.plan = network["plan"]
        self.input_size = network["inputSize"]
        self.base = network["base"]
        self.model_name = network["model"]
        self.splits = {name: self._read_split(rel) for name, rel in self.manifest["splits"].items()}

    def _read_split(self, rel):
        with open(os.path.join(self.root, rel)) as f:
            return json.load(f)

    def crop(self, example) -> np.ndarray:
        """The example's base × base RGB crop as uint8 [base, base, 3]."""
        with Image.open(os.path.join(self.root, example["crop"])) as image:
            rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
        if rgb.shape != (self.base, self.base, 3):
            raise BundleError(f"{example['crop']}: {rgb.shape[1]}×{rgb.shape[0]} pixels, the bundle's base size is {self.base}")
        return rgb

    def image(self, example) -> np.ndarray:
        """The example's whole picture as uint8 [height, width, 3], as the studio decoded it."""
        if "image" not in example:
            raise BundleError(f"{self.root}: the bundle holds no pictures (images/), which the cascade's later stages crop from; write it again with this studio")
        with Image.open(os.path.join(self.root, example["image"])) as image:
            rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
        if rgb.shape[:2] != (example["height"], example["width"]):
            raise BundleError(f"{example['image']}: {rgb.shape[1]}×{rgb.shape[0]} pixels, the example says {example['width']}×{example['height']}")
        return rgb
