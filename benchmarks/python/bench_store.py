"""Saves into a large store (issue 33 item 1): the time to save a 10-value
run into a store of --gib GiB against an empty store, h5py appending the same
array in place into a file of the same size (what a user would otherwise do,
without atomicity), and the disk a save writes beside the store.

Run: .venv/bin/python benchmarks/python/bench_store.py [--gib 4] [--dir /tmp]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import urbplex as ux


def wchar() -> int:
    """Bytes this process has passed to write-like system calls."""
    with open("/proc/self/io") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("wchar"))


def timed_saves(path: Path, repeat: int, prefix: str) -> tuple[list[float], list[int]]:
    small = {"x": np.arange(10.0)}
    times, written = [], []
    for i in range(repeat):
        r = ux.RunResult(small, model="small", parameters={"i": i}, seed=i)
        w0, t0 = wchar(), time.perf_counter()
        r.save(path, f"{prefix}{i:03d}")
        times.append(time.perf_counter() - t0)
        written.append(wchar() - w0)
    return times, written


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gib", type=float, default=4.0)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    ap.add_argument("--repeat", type=int, default=21)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(dir=args.dir, prefix="bench_store_"))
    try:
        big, empty = work / "big.h5", work / "empty.h5"
        chunk = 256 << 20  # runs of 256 MiB of float64
        rng = np.random.default_rng(0)
        t0 = time.perf_counter()
        for k in range(int(args.gib * (1 << 30) // chunk)):
            ux.RunResult({"x": rng.random(chunk // 8)}, model="filler", seed=k).save(big, f"filler{k:02d}")
        folder = work / "big.h5.d"
        size = big.stat().st_size + sum(p.stat().st_size for p in folder.iterdir())
        print(f"store: {size / 2**30:.2f} GiB in {len(list(folder.iterdir()))} object files, "
              f"built in {time.perf_counter() - t0:.0f} s; index {big.stat().st_size / 1024:.1f} KiB")
        ux.RunResult({"x": np.arange(10.0)}, model="small").save(empty, "first")
        t_big, w_big = timed_saves(big, args.repeat, "r")
        t_empty, w_empty = timed_saves(empty, args.repeat, "r")
        # The same array appended in place with h5py into a file of the same size (no atomicity, no lock).
        import h5py

        flat = work / "flat.h5"
        with h5py.File(flat, "w") as f:
            for k in range(int(args.gib * (1 << 30) // chunk)):
                f.create_dataset(f"filler{k:02d}", data=rng.random(chunk // 8))
        t_h5py = []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            with h5py.File(flat, "a") as f:
                g = f.create_group(f"runs/r{i:03d}")
                g.create_dataset("x", data=np.arange(10.0))
                g.attrs["model"] = "small"
            t_h5py.append(time.perf_counter() - t0)
        med = statistics.median
        print(f"{'10-value run saved into':34s} {'median ms':>10s} {'bytes written':>14s}")
        print(f"{'a {:.0f} GiB store (urbplex)'.format(args.gib):34s} {1e3 * med(t_big):10.2f} {med(w_big):14.0f}")
        print(f"{'an empty store (urbplex)':34s} {1e3 * med(t_empty):10.2f} {med(w_empty):14.0f}")
        print(f"{'a {:.0f} GiB file (h5py in place)'.format(args.gib):34s} {1e3 * med(t_h5py):10.2f}")
        print(f"ratio large/empty store: {med(t_big) / med(t_empty):.2f}")
        obj = min((p for p in folder.iterdir()), key=lambda p: p.stat().st_size)
        print(f"object file of a 10-value run: {obj.stat().st_size} bytes; index after: {big.stat().st_size} bytes")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
