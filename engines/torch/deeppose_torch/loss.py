"""The studio's loss (src-main/core/engines/tfjs/pose-loss.ts): squared coordinate differences of the
counted joints, summed, divided by the number of joints counted (at least 1)."""
import torch


def joint_weight(visibility: int, use_visibility: bool, count_occluded: bool) -> float:
    if not use_visibility:
        return 1.0
    if visibility == 2:
        return 1.0
    if visibility == 1:
        return 1.0 if count_occluded else 0.0
    return 0.0


def squared_sum(predicted, target, mask):
    """sum(mask * (dx² + dy²)) over a batch; predicted/target [N, J*2], mask [N, J]."""
    n, joints = mask.shape
    squared = (predicted - target).square().reshape(n, joints, 2).sum(2)
    return (squared * mask).sum()


def pose_loss(predicted, target, mask):
    return squared_sum(predicted, target, mask) / torch.clamp(mask.sum(), min=1)
