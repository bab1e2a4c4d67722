"""Percentiles and medians of repeated timings: pure functions, no clock."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0-100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    fraction = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


def latency_summary(seconds: Sequence[float], wall_seconds: float) -> dict[str, float]:
    """p50/p95/p99/mean in milliseconds and requests per second over the wall time."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": sum(ms) / len(ms) if ms else float("nan"),
        "rps": len(ms) / wall_seconds if wall_seconds > 0 else float("nan"),
    }


def median_of_runs(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    """Key by key median over repeated runs (each run a dict of numbers)."""
    if not runs:
        return {}
    return {key: float(median(run[key] for run in runs)) for key in runs[0]}


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, nan when undefined (so a table shows it as missing)."""
    if denominator == 0 or math.isnan(denominator) or math.isnan(numerator):
        return float("nan")
    return numerator / denominator
