"""Likelihood-ratio tests against the alternatives: urbplex vs the `powerlaw` package (Alstott et al. 2014).

Same data, same run, both sides given the same x_min (urbplex's fit), then
the four Vuong tests of CSN Table 6.2 (lognormal, exponential, stretched
exponential, power law with cutoff). Data: CSN's Moby Dick words (integers)
and US blackouts (continuous, /10^3) from ../shared/data/scaling/csn2009,
a seeded continuous sample (alpha 2.5, 10^4 points), and CSN's US city
populations (integers to 8e6, discrete x_min 52 648) from powerlaw's
reference data. Timings are medians
of --repeat runs; the table prints powerlaw's time / urbplex's.

Run: .venv/bin/python benchmarks/python/bench_compare.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, report  # noqa: E402

import urbplex as ux  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "scaling", "csn2009")
ALTS = {"lognormal": "lognormal", "exponential": "exponential", "stretched_exponential": "stretched_exponential",
        "truncated_power_law": "truncated_power_law"}


def datasets():
    yield "Moby Dick words", np.loadtxt(os.path.join(DATA, "words.txt"))
    yield "US blackouts /1e3", np.loadtxt(os.path.join(DATA, "blackouts.txt")) / 1e3
    yield "continuous sample 1e4", ux.scaling.sample(2.5, 1.0, 10_000, seed=4)
    try:  # CSN's US city populations as powerlaw ships them: integers up to 8e6, fitted as counts
        import powerlaw

        path = os.path.join(os.path.dirname(powerlaw.__file__), "reference_data", "cities.txt")
        yield "US city populations (integers)", np.loadtxt(path)
    except (ImportError, OSError):
        print("powerlaw's reference data missing: the cities row is left out")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    import powerlaw

    rows = []
    for name, x in datasets():
        fit = ux.scaling.power_law(x)
        ours = {a: fit.compare(a, normalized=True) for a in ALTS}
        pl_fit = powerlaw.Fit(x, xmin=fit.xmin, discrete=fit.discrete, verbose=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = {a: pl_fit.distribution_compare("power_law", b, normalized_ratio=True) for a, b in ALTS.items()}
        print(f"\n{name}: x_min {fit.xmin:g}, alpha {fit.alpha:.4f}, n_tail {fit.n_tail}")
        for a in ALTS:
            print(f"  {a:24s} urbplex R {ours[a][0]:8.3f} p {ours[a][1]:.3f}   powerlaw R {theirs[a][0]:8.3f} "
                  f"p {theirs[a][1]:.3f}")

        def run_ours():
            f = ux.scaling.power_law(x, xmin=fit.xmin)
            for a in ALTS:
                f.compare(a, normalized=True)

        def run_theirs():
            f = powerlaw.Fit(x, xmin=fit.xmin, discrete=fit.discrete, verbose=False)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for b in ALTS.values():
                    f.distribution_compare("power_law", b, normalized_ratio=True)

        rows.append((name, "urbplex", median_time(run_ours, args.repeat)))
        rows.append((name, "powerlaw", median_time(run_theirs, args.repeat)))
    report("fit at a fixed x_min + the four likelihood-ratio tests (medians)", rows)


if __name__ == "__main__":
    main()
