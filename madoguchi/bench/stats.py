"""Timing and reporting helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def sample(fn: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    """Run `fn` `warmup` times unmeasured, then `runs` times; return seconds per run."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no samples")
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values)


def line(name: str, value: float | int | str, unit: str = "") -> None:
    """Print one figure as `name: value unit`."""
    if isinstance(value, float):
        text = f"{value:.3f}" if value < 1000 else f"{value:.0f}"
    else:
        text = str(value)
    print(f"{name}: {text} {unit}".rstrip())


def ms(seconds: float) -> float:
    return seconds * 1000.0
