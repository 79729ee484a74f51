"""A stop file ends the run cleanly at the next step with a checkpoint; resuming from it ends
where an unbroken run ends (the draws depend only on seed, epoch and batch)."""
import json
import os
import subprocess
import sys

import numpy as np

from helpers import make_bundle

ENGINE = os.path.join(os.path.dirname(__file__), "..")


def run(bundle, out, *extra):
    env = {**os.environ, "PYTHONPATH": ENGINE, "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "deeppose_torch.train", bundle, "--out", out, *extra], env=env, capture_output=True, text=True, timeout=120)
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, events


def weights(out):
    return np.fromfile(os.path.join(out, "torch-final", "weights.bin"), dtype="<f4")


def test_stop_file_then_resume_matches_an_unbroken_run(tmp_path):
    bundle = make_bundle(str(tmp_path / "bundle"), train=40, val=4, batch_size=8, epochs=2, dropout=0.5)
    code, unbroken = run(bundle, str(tmp_path / "unbroken"))
    assert code == 0 and unbroken[-1]["type"] == "finished" and unbroken[-1]["iteration"] == 10

    stopped_out = str(tmp_path / "stopped")
    os.makedirs(stopped_out)
    open(os.path.join(stopped_out, "STOP"), "w").close()  # asked before the first step: it stops after it
    code, stopped = run(bundle, stopped_out)
    assert code == 0
    assert stopped[-1]["type"] == "stopped" and stopped[-1]["iteration"] == 1, stopped[-1]
    checkpoint = stopped[-1]["checkpoint"]
    assert checkpoint and os.path.exists(checkpoint)
    os.remove(os.path.join(stopped_out, "STOP"))

    code, resumed = run(bundle, stopped_out, "--resume", checkpoint)
    assert code == 0 and resumed[-1]["type"] == "finished" and resumed[-1]["iteration"] == 10
    assert resumed[0]["resumedFrom"] == checkpoint
    worst = float(np.max(np.abs(weights(stopped_out) - weights(str(tmp_path / "unbroken")))))
    print(f"stopped at step 1 and resumed vs unbroken, after 10 steps: largest weight difference {worst:.1e}")
    assert worst < 1e-6


def test_a_bad_bundle_is_one_line(tmp_path):
    bundle = make_bundle(str(tmp_path / "bundle"), train=4, val=0)
    with open(os.path.join(bundle, "crops", "train", "00001.png"), "ab") as f:
        f.write(b"tampered")
    code, events = run(bundle, str(tmp_path / "out"))
    assert code == 1
    assert events[-1]["type"] == "failed"
    assert "00001.png: sha256" in events[-1]["error"] and "differs from the manifest" in events[-1]["error"]


def final_weights(out, stages):
    return [np.fromfile(os.path.join(out, "torch-final", "." if s == 1 else f"stage-{s}", "weights.bin"), dtype="<f4") for s in range(1, stages + 1)]


def test_a_cascade_stopped_in_stage_2_resumes_to_the_weights_of_an_unbroken_run(tmp_path):
    # 3 stages × 2 epochs: stage 1 and 2 (person) 2 steps an epoch, stage 3 (2 close-ups per picture) 4
    bundle = make_bundle(str(tmp_path / "bundle"), train=12, val=3, batch_size=6, epochs=2, dropout=0.5, stages=3, refine_draws=2)
    code, unbroken = run(bundle, str(tmp_path / "unbroken"))
    assert code == 0 and unbroken[-1]["type"] == "finished", unbroken[-1]
    assert unbroken[-1]["iteration"] == 2 * 2 + 2 * 2 + 2 * 4
    validations = [e for e in unbroken if e["type"] == "validation"]
    assert [v["epoch"] for v in validations] == [1, 2, 3, 4, 5, 6]
    assert [len(v["stageJoints"]) for v in validations] == [1, 1, 2, 2, 3, 3]  # the cascade so far, per stage
    assert os.path.exists(str(tmp_path / "unbroken" / "stages" / "errors-before-stage-3.json"))

    out = str(tmp_path / "stopped")
    os.makedirs(out)
    stop_at = 6  # the second step of stage 2's first epoch
    with open(os.path.join(out, "STOP"), "w"):
        pass
    checkpoint, iteration = None, 0
    while iteration < stop_at:  # stop after each step (and at each epoch's end), resume, up to stage 2's second step
        code, events = run(bundle, out, *(["--resume", checkpoint] if checkpoint else []))
        assert code == 0 and events[-1]["type"] == "stopped", events[-1]
        checkpoint, iteration = events[-1]["checkpoint"], events[-1]["iteration"]
    assert iteration == stop_at
    os.remove(os.path.join(out, "STOP"))
    code, resumed = run(bundle, out, "--resume", checkpoint)
    assert code == 0 and resumed[-1]["type"] == "finished" and resumed[-1]["iteration"] == 16
    worst = [float(np.max(np.abs(a - b))) for a, b in zip(final_weights(out, 3), final_weights(str(tmp_path / "unbroken"), 3))]
    print(f"stopped in stage 2 and resumed vs unbroken: largest weight difference per stage {worst}")
    assert all(w <= 1e-5 for w in worst), worst
