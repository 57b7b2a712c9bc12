"""Power-law fit + bootstrap goodness of fit: urbplex vs the `powerlaw` package (Alstott et al. 2014).

Same samples (n points: 30% uniform body on [1, 10), 70% power law alpha=2.5
above x_min=10), same run. The `powerlaw` package fits but has no bootstrap
p-value; its side is the loop a user writes for CSN's semi-parametric
bootstrap (Sec. 4.1): synthetic tail from fit.power_law.generate_random, body
resampled from the data below x_min, powerlaw.Fit on each. Both sides search
x_min over all distinct values.

Run: .venv/bin/python benchmarks/python/bench_power_law.py [--n 5000 --replicates 50]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import report  # noqa: E402

import urbplex as ux  # noqa: E402


def powerlaw_fit_and_gof(x, replicates, seed):
    import powerlaw

    fit = powerlaw.Fit(x, verbose=False)
    alpha, xmin, D = fit.power_law.alpha, fit.power_law.xmin, fit.power_law.D
    body = x[x < xmin]
    p_tail = np.mean(x >= xmin)
    rng = np.random.default_rng(seed)
    worse = 0
    for _ in range(replicates):
        n_tail = rng.binomial(x.size, p_tail)
        synth = np.concatenate([fit.power_law.generate_random(n_tail), rng.choice(body, x.size - n_tail)])
        worse += powerlaw.Fit(synth, verbose=False).power_law.D >= D
    return alpha, xmin, worse / replicates


def urbplex_fit_and_gof(x, replicates, seed):
    fit = ux.scaling.power_law(x)
    return fit.alpha, fit.xmin, fit.gof(replicates, seed=seed)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--replicates", type=int, default=50)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    rng = np.random.default_rng(1)
    body = rng.uniform(1, 10, size=int(0.3 * args.n))
    x = np.concatenate([body, ux.scaling.sample(2.5, 10.0, args.n - body.size, seed=2)])
    rows = []
    for name, fn in (("urbplex", urbplex_fit_and_gof), ("powerlaw", powerlaw_fit_and_gof)):
        t0 = time.perf_counter()
        alpha, xmin, p = fn(x, args.replicates, 3)
        dt = time.perf_counter() - t0
        print(f"{name:9s} alpha={alpha:.5f} xmin={xmin:.4f} p={p:.2f} in {dt:.2f} s")
        rows.append((f"fit + {args.replicates} bootstrap (n={args.n})", name, dt))
    report("Power-law fit and bootstrap p (seconds, one run each; ratio > 1: urbplex faster)", rows)


if __name__ == "__main__":
    main()
