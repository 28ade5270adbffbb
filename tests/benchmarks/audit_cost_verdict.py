"""Whether issue 11's goal is met, from the CPU per step command of each interleaved pair (pure: unit-tested).

CPU per step command (user+system of every target process, redis-server included, ÷ step commands) is the
figure judged: on a shared 2-core machine commands/s moves with whatever else runs, while CPU spent per
command moves far less. Each pair's on and off runs are back to back, so their ratio on ÷ off is the pair's
own verdict: within the goal when ≤ 1 + GOAL. How far two runs of the same code lie apart is read from the
off runs of the different pairs: noise = (max − min) ÷ median of their CPU per step command.

The rule (RULE, printed with the report):
  met      — the median of the pairs' ratios is ≤ 1 + GOAL and no pair exceeds 1 + GOAL by more than the noise;
  not met  — the median is > 1 + GOAL and no pair lies below 1 + GOAL by more than the noise;
  not settled — otherwise, or with fewer than 2 pairs, or when the noise is wider than GOAL itself (then two
  runs of the same code differ by more than the goal can tell apart, and no ratio means anything).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

GOAL = 0.10  # issue 11: the guarantees may cost at most 10 % (of CPU per step command, of commands/s)
LIMIT = 1 + GOAL
RULE = (f"met when the median of the pairs' CPU ratios (on ÷ off) is ≤ {LIMIT:.2f} and no pair exceeds {LIMIT:.2f} "
        f"by more than the off-vs-off noise ((max − min) ÷ median of the off runs); not met when the median is "
        f"> {LIMIT:.2f} and no pair is below {LIMIT:.2f} by more than the noise; else not settled (also with "
        f"fewer than 2 pairs or a noise wider than {GOAL:.0%})")


@dataclass(frozen=True)
class Verdict:
    said: str  # met, not met, not settled
    ratios: list[float]  # each pair's on ÷ off
    pairs: list[str]  # each pair's own: within, over (within noise), over
    median_ratio: float | None
    noise: float | None
    why: str


def off_noise(off: list[float]) -> float | None:
    """How far the off runs (the same code each time) lie apart, as a share of their median."""
    return (max(off) - min(off)) / statistics.median(off) if len(off) >= 2 and statistics.median(off) else None


def pair_verdict(ratio: float, noise: float | None) -> str:
    if ratio <= LIMIT:
        return "within"
    return "over (within noise)" if noise is not None and ratio <= LIMIT + noise else "over"


def verdict(on: list[float], off: list[float]) -> Verdict:
    """`on`, `off`: CPU per step command of each pair's run, in pair order (on[i] beside off[i])."""
    ratios = [a / b for a, b in zip(on, off) if b]
    noise = off_noise(off)
    pairs = [pair_verdict(r, noise) for r in ratios]
    median = statistics.median(ratios) if ratios else None
    if len(ratios) < 2 or median is None or noise is None:
        return Verdict("not settled", ratios, pairs, median, noise, "fewer than 2 pairs: no noise to judge by")
    if noise > GOAL:
        return Verdict("not settled", ratios, pairs, median, noise,
                       f"the off runs lie {noise:.1%} apart, wider than the {GOAL:.0%} the goal must resolve")
    if median <= LIMIT and max(ratios) <= LIMIT + noise:
        return Verdict("met", ratios, pairs, median, noise, "the median within the goal, no pair past it by more "
                       "than the noise")
    if median > LIMIT and min(ratios) >= LIMIT - noise:
        return Verdict("not met", ratios, pairs, median, noise, "the median past the goal, no pair below it by more "
                       "than the noise")
    return Verdict("not settled", ratios, pairs, median, noise,
                   "the pairs disagree by more than the noise: run again when the machine is quiet, or with more --pairs")
