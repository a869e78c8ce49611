"""Small pure helpers every figure of `eval` uses, so a rate means the same everywhere."""
from __future__ import annotations

import math


def share(part: int, whole: int) -> float | None:
    """part / whole rounded to three places; None when there is nothing to divide."""
    return round(part / whole, 3) if whole else None


def pct(value: float | None) -> str:
    """A share as a whole percentage for the text reports ("n/a" when there was nothing)."""
    return "n/a" if value is None else f"{100 * value:.0f}%"


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (rounded to 0.1 ms); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(pct / 100 * len(ordered))  # 1-based nearest rank
    return round(ordered[min(len(ordered), max(rank, 1)) - 1], 1)


# The splits whose question-by-question results are shown. The realistic sets hold their test
# split back ("never look at per-question results"): it is reported as numbers only.
LISTED_SPLITS = ("dev",)


def count(items, test) -> int:
    return sum(1 for item in items if test(item))
