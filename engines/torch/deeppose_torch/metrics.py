"""PCK@0.2 of the torso diameter as the studio scores validation (metrics/detection-rate.ts:
the first labeled pair of LSP_TORSO_PAIRS in pose/pose-joints.ts, a hit strictly inside)."""
import math

LSP_TORSO_PAIRS = [[9, 2], [8, 3]]


def torso_diameter(truth, pairs):
    for a, b in pairs:
        if a < len(truth) and b < len(truth) and truth[a][2] > 0 and truth[b][2] > 0:
            d = math.hypot(truth[a][0] - truth[b][0], truth[a][1] - truth[b][1])
            if d > 0:
                return d
    return None


def pck(predictions, truths, alpha=0.2, count_occluded=True, torso_pairs=None):
    pairs = torso_pairs or LSP_TORSO_PAIRS
    hits = counted = 0
    for pred, truth in zip(predictions, truths):
        torso = torso_diameter(truth, pairs)
        if torso is None:
            continue
        for p, t in zip(pred, truth):
            if not (t[2] == 2 or (count_occluded and t[2] == 1)):
                continue
            counted += 1
            if math.hypot(p[0] - t[0], p[1] - t[1]) < alpha * torso:
                hits += 1
    return None if counted == 0 else hits / counted
