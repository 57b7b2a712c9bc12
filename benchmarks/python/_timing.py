"""Timing helpers shared by the Python benchmarks: medians of repeated runs, ratio tables."""
from __future__ import annotations

import gc
import statistics
import time
from typing import Callable


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls of ``fn`` (seconds)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(title: str, rows: list[tuple[str, str, float]], ours: str = "urbplex") -> None:
    """Print ``(task, library, seconds)`` rows with each peer's time divided by ours."""
    print(f"\n{title}")
    print(f"{'task':34s} {'library':12s} {'median s':>10s} {'peer/urbplex':>13s}")
    base = {task: t for task, lib, t in rows if lib == ours}
    for task, lib, t in rows:
        ratio = t / base[task] if task in base and base[task] > 0 else float("nan")
        print(f"{task:34s} {lib:12s} {t:10.4f} {ratio:13.1f}")
