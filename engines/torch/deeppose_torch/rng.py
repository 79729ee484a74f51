"""The studio's seeded randomness (src-main/core/training/rng.ts), bit for bit: mulberry32
streams derived from (seed, purpose, counters), so a batch's shuffle and augmentation draws
are the ones the studio's CPU engines make for the same run."""
import math

_M32 = 0xFFFFFFFF


def _i32(v: int) -> int:
    v &= _M32
    return v - 0x100000000 if v & 0x80000000 else v


def _imul(a: int, b: int) -> int:
    return _i32((a & _M32) * (b & _M32))


def _ushr(v: int, n: int) -> int:
    return (v & _M32) >> n


class Rng:
    def __init__(self, state: int):
        self.state = _i32(state)

    def next(self) -> float:
        self.state = _i32(self.state + 0x6D2B79F5)
        t = self.state
        t = _imul(t ^ _ushr(t, 15), t | 1)
        t = _i32(t ^ _i32(t + _imul(t ^ _ushr(t, 7), t | 61)))
        return ((t ^ _ushr(t, 14)) & _M32) / 4294967296

    def int(self, max_exclusive: int) -> int:
        return math.floor(self.next() * max_exclusive)

    def normal(self) -> float:
        u = 1 - self.next()
        return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * self.next())

    def seed(self) -> int:
        return math.floor(self.next() * 0x7FFFFFFF)


PURPOSES = {"shuffle": 1, "augment": 2, "dropout": 3, "init": 4, "simulate": 5}


def _mix(h: int, value: int) -> int:
    h = _imul(h ^ value, 0x85EBCA6B)
    h = _i32(h ^ _ushr(h, 13))
    h = _imul(h, 0xC2B2AE35)
    return _i32(h ^ _ushr(h, 16))


def stream_for(seed: int, purpose: str, *counters: int) -> Rng:
    h = _mix(_i32(0x9E3779B9 ^ seed), PURPOSES[purpose])
    for c in counters:
        h = _mix(h, c)
    return Rng(h)


def permutation(n: int, rng: Rng) -> list:
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order
