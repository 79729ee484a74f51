"""DDP on 2 CPU processes (gloo) with batch 2×8 against one process with batch 16: the same
examples, augmentation draws and dropout masks, so after 3 steps the weights agree to 1e-5."""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from helpers import make_bundle

ENGINE = os.path.join(os.path.dirname(__file__), "..")
TORCHRUN = shutil.which("torchrun")


def train(bundle, out, nproc):
    env = {**os.environ, "PYTHONPATH": ENGINE, "OMP_NUM_THREADS": "1"}
    module = ["-m", "deeppose_torch.train", bundle, "--out", out, "--max-steps", "3"]
    if nproc == 1:
        cmd = [sys.executable, *module]
    else:
        # Debian's torchrun 1.13 needs --redirects/--tee given (see DESIGN.md)
        cmd = [TORCHRUN, "--standalone", "--nproc_per_node", str(nproc), "--redirects", "2", "--tee", "2", *module]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    weights = json.load(open(os.path.join(out, "torch-final", "weights.json")))["weights"]
    raw = np.fromfile(os.path.join(out, "torch-final", "weights.bin"), dtype="<f4")
    named, offset = {}, 0
    for spec in weights:
        n = int(np.prod(spec["shape"]))
        named[spec["name"]] = raw[offset : offset + n]
        offset += n
    return events, named


@pytest.mark.skipif(TORCHRUN is None, reason="torchrun is not on PATH")
def test_two_gloo_ranks_train_as_one_process(tmp_path):
    bundle = make_bundle(str(tmp_path / "bundle"), train=48, val=4, batch_size=16, epochs=1, dropout=0.5)
    one_events, one = train(bundle, str(tmp_path / "one"), 1)
    two_events, two = train(bundle, str(tmp_path / "two"), 2)
    losses = lambda events: [e["loss"] for e in events if e["type"] == "progress"]
    assert [e["worldSize"] for e in two_events if e["type"] == "started"] == [2]
    assert two_events[-1]["type"] == "finished" and two_events[-1]["iteration"] == 3
    worst = max(float(np.max(np.abs(one[k] - two[k]))) for k in one)
    print(f"DDP 2×8 vs 1×16 after 3 steps: largest weight difference {worst:.2e}; losses {losses(one_events)} vs {losses(two_events)}")
    assert worst < 1e-5
    # and the weights did move: a step that changed nothing would pass the comparison
    assert any(float(np.max(np.abs(one[k]))) > 0 for k in one)
