"""Trains a run bundle: `python -m deeppose_torch.train BUNDLE [--out DIR]`, on one process or
under torchrun (DistributedDataParallel: NCCL on CUDA, gloo on CPU). Rank 0 writes the
checkpoints, the final weights in the studio's layout, and one JSON object per line on stdout
(started, progress, epoch, validation, checkpoint, finished | stopped | failed), which the
studio reads into the run's curves. SIGTERM or a stop file ends the run cleanly at the next step."""
import argparse
import json
import os
import shutil
import signal
import sys
import time
import traceback

import numpy as np
import torch
import torch.distributed as dist

from .augment import centre_augmentation, input_to_image
from .bundle import Bundle, BundleError
from .cascade import (StageNet, epochs_before_stage, is_checkpoint_epoch, observe_errors, person_items, predict_cascade, refinement_items,
                      rule_of, run_iterations, stage_epochs, stage_kind, stage_seed, to_input)
from .data import CropDataset, StudioBatchSampler, batch_count, collate, dropout_masks
from .loss import joint_weight, squared_sum
from .metrics import pck
from .network import PoseNet
from .optimizers import StudioOptimizer, learning_rate_at
from .studio_files import read_model_folder, read_studio_checkpoint, read_weights_folder

PROGRESS_INTERVAL_S = 0.25
PREVIEW_COUNT = 4
TIMING_WARMUP_STEPS = 3  # not timed: allocation, cuDNN's algorithm search


class Session:
    """Who this process is: rank, world size, device; and the one channel to the studio."""

    def __init__(self, device_choice: str):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        use_cuda = device_choice == "cuda" or (device_choice == "auto" and torch.cuda.is_available())
        if use_cuda and not torch.cuda.is_available():
            raise RuntimeError("a CUDA device was asked for, but this PyTorch sees none (torch.cuda.is_available() is False)")
        self.device = torch.device(f"cuda:{local_rank}" if use_cuda else "cpu")
        if use_cuda:
            torch.cuda.set_device(self.device)
        self.distributed = self.world > 1
        if self.distributed:
            dist.init_process_group("nccl" if use_cuda else "gloo")

    @property
    def leader(self):
        return self.rank == 0

    def describe(self):
        if self.device.type == "cuda":
            return f"{torch.cuda.get_device_name(self.device)} ×{self.world}"
        return f"cpu ×{self.world} ({torch.get_num_threads()} threads each)"

    log_path = None  # rank 0 also appends every event here, so a run trained elsewhere keeps its curves

    def emit(self, event):
        if self.leader:
            line = json.dumps(event) + "\n"
            sys.stdout.write(line)
            sys.stdout.flush()
            if self.log_path:
                with open(self.log_path, "a") as log:
                    log.write(line)

    def all_sum(self, value: float) -> float:
        if not self.distributed:
            return value
        t = torch.tensor([value], dtype=torch.float64, device=self.device if self.device.type == "cuda" else "cpu")
        dist.all_reduce(t)
        return float(t.item())

    def any(self, flag: bool) -> bool:
        return self.all_sum(1.0 if flag else 0.0) > 0

    def barrier(self):
        if self.distributed:
            dist.barrier()


class StopSignal:
    def __init__(self, stop_file):
        self.stop_file = stop_file
        self.asked = False
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, *_):
        self.asked = True

    def requested(self):
        return self.asked or (self.stop_file is not None and os.path.exists(self.stop_file))


def train_step(model, ddp_model, optimizer, batch, session, config, epoch, batch_index):
    """One optimizer step on this rank's share of a global batch; returns the global batch's loss.
    Each rank's loss is its squared sum over the global batch's counted joints, times the world
    size, so DDP's gradient mean is the gradient of the global batch's loss."""
    pixels, target, weights, items = batch
    pixels, target, weights = pixels.to(session.device), target.to(session.device), weights.to(session.device)
    counted = max(1.0, session.all_sum(float(weights.sum())))
    masks = dropout_masks(model, config["seed"], epoch, batch_index, [i[2] for i in items], session.device)
    optimizer.zero_grad()
    local = squared_sum(ddp_model(pixels, masks), target, weights)
    (local * (session.world / counted)).backward()
    optimizer.step()
    return session.all_sum(float(local.detach())) / counted


@torch.no_grad()
def validate(model, bundle, session, config):
    """Stage 1's validation: loss and PCK@0.2 over the val split (centre crops), on rank 0."""
    data = CropDataset(bundle, "val")
    if len(data) == 0:
        return None
    base, s = bundle.base, bundle.input_size
    centre = centre_augmentation(base, s)
    squared = counted = 0.0
    predictions = []
    bs = config["batchSize"]
    for start in range(0, len(data), bs):
        items = [data[(i, centre, 0, 0, 0)] for i in range(start, min(len(data), start + bs))]
        pixels, target, weights, _ = collate(items, data.joints, s)
        out = model(pixels.to(session.device)).cpu()
        squared += float(squared_sum(out, target, weights))
        counted += float(weights.sum())
        for k, row in enumerate(out.numpy()):
            example = data.examples[start + k]
            predictions.append([input_to_image((row[2 * j] * s, row[2 * j + 1] * s), example["square"], base, s, centre) for j in range(data.joints)])
    return scored(data.examples, predictions, squared / max(1.0, counted), config, [predictions])


@torch.no_grad()
def validate_cascade(nets, bundle, config, rule):
    """A later stage's validation: the whole cascade so far over each val picture, as a prediction
    job runs it (validate.ts' validateCascade); the loss is the last stage's, each joint in its own crop."""
    data = CropDataset(bundle, "val")
    if len(data) == 0:
        return None
    squared = counted = 0.0
    predictions, stage_joints = [], [[] for _ in nets]
    last_net = nets[-1]
    for example in data.examples:
        joints, stages, last = predict_cascade(data.image(example), example["box"], nets, rule)
        predictions.append(joints)
        for k, points in enumerate(stages):
            stage_joints[k].append(points)
        for j, (x, y, v) in enumerate(example["joints"]):
            w = joint_weight(v, config.get("useVisibility", True), config.get("countOccluded", True))
            if w == 0:
                continue
            square, (ox, oy) = last[j]
            tx, ty = to_input((x, y), square, last_net.base, last_net.input)
            squared += w * ((ox - tx / last_net.input) ** 2 + (oy - ty / last_net.input) ** 2)
            counted += w
    return scored(data.examples, predictions, squared / max(1.0, counted), config, stage_joints)


def scored(examples, predictions, loss, config, stage_joints):
    truths = [e["joints"] for e in examples]
    score = pck(predictions, truths, 0.2, config.get("countOccluded", True), config.get("torsoPairs"))
    samples = [{"index": i, "joints": [[float(x), float(y)] for x, y in predictions[i]]} for i in range(min(PREVIEW_COUNT, len(predictions)))]
    joints = [[[[float(x), float(y)] for x, y in pose] for pose in stage] for stage in stage_joints]
    return {"loss": loss, "pck": score, "samples": samples, "stageJoints": joints}


def write_atomic(path, write):
    temp = f"{path}.partial-{os.getpid()}"
    write(temp)
    os.replace(temp, path)


def save_checkpoint(out_dir, model, optimizer, progress, keep, config, history):
    """A checkpoint folder in the studio's layout, so the CPU engines resume it too (after the
    studio adds the network's description: engines/torch/adopt-torch-checkpoint.ts): model/ (this
    stage's weights), optimizer.json + optimizer.bin (tfjs' order and names), progress.json."""
    folder = os.path.join(out_dir, "torch-checkpoints")
    os.makedirs(folder, exist_ok=True)
    name = f"iteration-{progress['iteration']:08d}"
    path, temp = os.path.join(folder, name), os.path.join(folder, f".partial-{name}-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    save_weights(os.path.join(temp, "model"), model)
    specs, parts = optimizer.tfjs_state([n for n, _ in model.tfjs_weights()])
    with open(os.path.join(temp, "optimizer.bin"), "wb") as f:
        f.write(b"".join(parts))
    with open(os.path.join(temp, "optimizer.json"), "w") as f:
        json.dump({"className": "Adam" if optimizer.kind == "Adam" else "Momentum", "tensors": specs}, f)
    with open(os.path.join(temp, "progress.json"), "w") as f:
        json.dump({**progress, "rng": {"seed": config["seed"], "scheme": "counter-v1"}, "history": history, "config": config}, f)
    shutil.rmtree(path, ignore_errors=True)
    os.replace(temp, path)
    if keep > 0:
        older = sorted(f for f in os.listdir(folder) if f.startswith("iteration-"))[:-keep]
        for old in older:
            shutil.rmtree(os.path.join(folder, old), ignore_errors=True)
    return path


def save_weights(folder, model):
    """One stage's weights in the studio's (tfjs) order and layout: weights.bin + weights.json."""
    os.makedirs(folder, exist_ok=True)
    named = model.tfjs_weights()
    specs = [{"name": n, "shape": list(a.shape)} for n, a in named]
    write_atomic(os.path.join(folder, "weights.bin"), lambda p: open(p, "wb").write(b"".join(np.ascontiguousarray(a, dtype="<f4").tobytes() for _, a in named)))
    write_atomic(os.path.join(folder, "weights.json"), lambda p: open(p, "w").write(json.dumps({"format": "deeppose-torch-weights-v1", "weights": specs})))
    return folder


def stage_folder(root, stage):
    """Stage 1 at the root, later stages in stage-N/ (the studio's model folder layout)."""
    return root if stage == 1 else os.path.join(root, f"stage-{stage}")


def frozen_folder(out_dir, stage):
    return os.path.join(out_dir, "stages", f"torch-stage-{stage}")


def load_frozen(out_dir, stage, bundle, device):
    """A finished earlier stage of this run: the engine's own (stages/torch-stage-N), else the CPU engines' (stages/stage-N)."""
    model = PoseNet(bundle.plan, bundle.input_size)
    torch_dir, studio_dir = frozen_folder(out_dir, stage), os.path.join(out_dir, "stages", f"stage-{stage}")
    if os.path.exists(os.path.join(torch_dir, "weights.json")):
        model.load_tfjs_weights(read_weights_folder(torch_dir))
    elif os.path.exists(os.path.join(studio_dir, "model.json")):
        model.load_tfjs_weights(read_model_folder(studio_dir))
    else:
        raise RuntimeError(f"cannot resume in stage {stage + 1}: stage {stage}'s network is in neither {torch_dir} nor {studio_dir}")
    return StageNet(model.to(device).eval(), bundle.base, bundle.input_size, device)


def stage_errors(out_dir, stage, nets, train, rule, session):
    """The earlier stages' errors on the training set, measured once when a stage starts (rank 0)
    and kept beside the run as the CPU engines keep them, so a resumed stage draws from the same."""
    path = os.path.join(out_dir, "stages", f"errors-before-stage-{stage}.json")
    errors = None
    if session.leader:
        if os.path.exists(path):
            with open(path) as f:
                errors = json.load(f)
        else:
            errors = observe_errors(nets, train.examples, train.image, rule, train.joints)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_atomic(path, lambda p: open(p, "w").write(json.dumps(errors)))
    if session.distributed:
        box = [errors]
        dist.broadcast_object_list(box, src=0)
        errors = box[0]
    return errors


def read_resume_point(path):
    """(weights, optimizer state, progress) from a checkpoint folder of either engine (the same layout)."""
    if not os.path.isdir(path):
        raise RuntimeError(f"{path}: not a checkpoint folder")
    return read_studio_checkpoint(path)


def run(args):
    session = Session(args.device)
    if not args.timing:
        session.log_path = os.path.join(args.out, "events.jsonl")
    stop = StopSignal(args.stop_file or os.path.join(args.out, "STOP"))
    bundle = Bundle(args.bundle, verify=not args.no_verify and session.leader)
    session.barrier()
    config = bundle.config
    stages, rule = config.get("stages", 1), rule_of(config, bundle.manifest)
    torch.manual_seed(config["seed"])
    progress = {"stage": 1, "epoch": 0, "batch": 0, "iteration": 0}
    resumed = None
    if args.resume:
        resumed = read_resume_point(args.resume)
        progress = {k: resumed[2][k] for k in ("stage", "epoch", "batch", "iteration")}

    train = CropDataset(bundle, "train")
    if len(train) == 0:
        raise RuntimeError("the bundle's training split is empty")
    bs = config["batchSize"]
    total = run_iterations(config, len(train))
    if args.max_steps:
        total = min(total, progress["iteration"] + args.max_steps)
    keep = config.get("keepCheckpoints", 1)
    frozen, first_stage, announced = [], progress["stage"], False
    history = list(resumed[2].get("history", [])) if resumed else []
    state = {"last_checkpoint": None, "checkpointed_at": None}
    started, started_iteration, last_emit = time.time(), progress["iteration"], 0.0
    timed = {"images": 0, "seconds": 0.0, "steps": 0}

    for stage in range(progress["stage"], stages + 1):
        model = PoseNet(bundle.plan, bundle.input_size)
        model.initialise(stage_seed(config["seed"], stage))
        optimizer = StudioOptimizer(model.parameters(), config["optimizer"], config["lr"], config.get("momentum", 0.9))
        if resumed is not None and stage == first_stage:
            model.load_tfjs_weights(resumed[0])
            if resumed[1] is not None:
                optimizer.load_state_dict(resumed[1])
        model.to(session.device)
        optimizer.slots = [[s.to(session.device) for s in group] for group in optimizer.slots]
        optimizer.params = list(model.parameters())
        ddp_model = torch.nn.parallel.DistributedDataParallel(model) if session.distributed else model
        while len(frozen) < stage - 1:
            frozen.append(load_frozen(args.out, len(frozen) + 1, bundle, session.device))
        current = StageNet(model, bundle.base, bundle.input_size, session.device)
        if not announced:
            announced = True
            session.emit({"type": "started", "device": session.describe(), "worldSize": session.world, "model": bundle.model_name,
                          "params": sum(p.numel() for p in model.parameters()), "trainSize": len(train.examples), "valSize": len(bundle.splits.get("val", [])),
                          "resumedFrom": args.resume, "torch": torch.__version__})
        if progress["stage"] != stage:
            progress = {**progress, "stage": stage, "batch": 0}
        kind = stage_kind(config, stage)
        before = epochs_before_stage(config, stage)
        stage_end = before + stage_epochs(config, stage)
        errors = stage_errors(args.out, stage, frozen, train, rule, session) if stage > 1 else None

        def checkpoint():
            state["checkpointed_at"] = progress["iteration"]
            if session.leader:
                state["last_checkpoint"] = save_checkpoint(args.out, model, optimizer, progress, keep, config, history)
                session.emit({"type": "checkpoint", "path": state["last_checkpoint"], "epoch": progress["epoch"], "iteration": progress["iteration"]})
            session.barrier()

        def stopped():
            if state["checkpointed_at"] != progress["iteration"]:
                checkpoint()
            session.emit({"type": "stopped", "epoch": progress["epoch"], "iteration": progress["iteration"], "checkpoint": state["last_checkpoint"]})

        while progress["epoch"] < stage_end and progress["iteration"] < total:
            epoch = progress["epoch"]
            optimizer.lr = lr = learning_rate_at(config, epoch - before)
            if kind == "person":
                train.set_items(person_items(train.examples, errors, rule, config["seed"], epoch))
            elif kind == "joints":
                train.set_items(refinement_items(train.examples, errors, rule, config.get("refineDraws", 4), config["seed"], epoch, config.get("refineFocus", "uniform")))
            per_epoch = batch_count(len(train), bs)
            sampler = StudioBatchSampler(len(train), bs, config["seed"], epoch, bundle.base, bundle.input_size, config.get("augment", True),
                                         config.get("flip", False), session.rank, session.world, progress["batch"])
            loader = torch.utils.data.DataLoader(train, batch_sampler=sampler, num_workers=args.workers,
                                                 collate_fn=lambda items: collate(items, train.joints, bundle.input_size))
            epoch_start, images, loss_sum, steps = time.time(), 0, 0.0, 0
            for batch in loader:
                step_start = time.time()
                value = train_step(model, ddp_model, optimizer, batch, session, config, epoch, progress["batch"])
                if session.device.type == "cuda":
                    torch.cuda.synchronize()
                size = min(bs, len(train) - progress["batch"] * bs)
                if progress["iteration"] - started_iteration >= TIMING_WARMUP_STEPS:
                    timed = {"images": timed["images"] + size, "seconds": timed["seconds"] + time.time() - step_start, "steps": timed["steps"] + 1}
                if not np.isfinite(value):
                    raise RuntimeError(f"training diverged at epoch {epoch + 1}, iteration {progress['iteration'] + 1} (loss {value}); try a lower learning rate")
                progress = {**progress, "batch": progress["batch"] + 1, "iteration": progress["iteration"] + 1}
                images += size
                loss_sum += value
                steps += 1
                now = time.time()
                if now - last_emit >= PROGRESS_INTERVAL_S or progress["batch"] == per_epoch:
                    last_emit = now
                    per_iteration = (now - started) / max(1, progress["iteration"] - started_iteration)
                    session.emit({"type": "progress", "epoch": epoch + 1, "iteration": progress["iteration"], "itersPerEpoch": per_epoch,
                                  "totalIterations": total, "loss": value, "lr": lr, "imagesPerSecond": images / max(1e-3, now - epoch_start),
                                  "etaSeconds": round(per_iteration * (total - progress["iteration"])), "device": session.describe()})
                if session.any(stop.requested() or 0 < args.stop_at <= progress["iteration"]):
                    return stopped()
                if progress["iteration"] >= total:
                    break
            if progress["batch"] < per_epoch:
                break  # --max-steps ended the run inside an epoch
            progress = {**progress, "epoch": epoch + 1, "batch": 0}
            ips = images / max(1e-3, time.time() - epoch_start)
            session.emit({"type": "epoch", "epoch": epoch + 1, "iteration": progress["iteration"], "loss": loss_sum / max(1, steps), "imagesPerSecond": ips})
            history.append({"epoch": epoch + 1, "iteration": progress["iteration"], "split": "train", "loss": loss_sum / max(1, steps), "pck": None, "imagesPerSecond": ips})
            end_of_stage = progress["epoch"] == stage_end
            last = end_of_stage and stage == stages
            if args.timing:
                continue
            if progress["epoch"] % config.get("valEvery", 1) == 0 or end_of_stage:
                if session.leader:
                    result = validate(model, bundle, session, config) if stage == 1 else validate_cascade(frozen + [current], bundle, config, rule)
                    if result:
                        session.emit({"type": "validation", "epoch": progress["epoch"], "iteration": progress["iteration"], **result})
                        history.append({"epoch": progress["epoch"], "iteration": progress["iteration"], "split": "val", "loss": result["loss"], "pck": result["pck"], "imagesPerSecond": None})
                session.barrier()
            if is_checkpoint_epoch(config, progress["epoch"]):
                checkpoint()
            if not last and session.any(stop.requested() or 0 < args.stop_at <= progress["iteration"]):
                return stopped()
        if progress["iteration"] >= total and progress["epoch"] < stage_end:
            break  # --max-steps
        train.set_items(None)
        if stage < stages:
            if session.leader:
                save_weights(frozen_folder(args.out, stage), model)
            session.barrier()
            frozen.append(StageNet(model.eval(), bundle.base, bundle.input_size, session.device))

    if args.timing:
        session.emit({"type": "timing", "device": session.describe(), "steps": timed["steps"], "warmupSteps": TIMING_WARMUP_STEPS,
                      "imagesPerSecond": timed["images"] / max(1e-9, timed["seconds"]), "batchSize": bs})
        return
    weights = None
    if session.leader:
        final = os.path.join(args.out, "torch-final")
        for k, net in enumerate(frozen + [current]):
            save_weights(stage_folder(final, k + 1), net.model)
        weights = final
    session.barrier()
    if state["checkpointed_at"] != progress["iteration"]:
        checkpoint()
    session.emit({"type": "finished", "epoch": progress["epoch"], "iteration": progress["iteration"],
                  "weights": weights, "checkpoint": state["last_checkpoint"]})


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m deeppose_torch.train", description=__doc__)
    parser.add_argument("bundle", help="a run bundle folder written by the studio (manifest.json)")
    parser.add_argument("--out", help="where checkpoints and the final weights go (default BUNDLE/out)")
    parser.add_argument("--resume", help="a torch checkpoint (.pt) of this run to continue from")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many optimizer steps (timing checks)")
    parser.add_argument("--timing", action="store_true", help="time the steps only: no validation, checkpoints or weights; ends with a 'timing' line")
    parser.add_argument("--workers", type=int, default=0, help="DataLoader worker processes per rank")
    parser.add_argument("--stop-at", type=int, default=0, help="stop cleanly (with a checkpoint) once this iteration is done, as a stop request would")
    parser.add_argument("--stop-file", help="the run stops cleanly at the next step once this file exists (default OUT/STOP)")
    parser.add_argument("--no-verify", action="store_true", help="skip the sha256 check of the bundle's files")
    args = parser.parse_args(argv)
    args.out = os.path.abspath(args.out or os.path.join(args.bundle, "out"))
    os.makedirs(args.out, exist_ok=True)
    rank = int(os.environ.get("RANK", "0"))
    try:
        run(args)
    except (BundleError, RuntimeError, ValueError, OSError) as error:
        if rank == 0:
            print(json.dumps({"type": "failed", "error": str(error)}), flush=True)
        traceback.print_exc(file=sys.stderr)
        return 1
    finally:
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
