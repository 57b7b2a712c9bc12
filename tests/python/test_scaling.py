"""Urban scaling fits, power laws and theory against known generating models."""
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import urbplex as ux
from urbplex import scaling

BETA, Y0 = 1.15, 0.01


def populations(rng, n=200):
    return np.exp(rng.uniform(np.log(1e4), np.log(1e7), size=n))


def generate(kind, rng):
    N = populations(rng)
    mu = Y0 * N ** BETA
    if kind == "lognormal":
        s = 0.3
        Y = mu * np.exp(s * rng.standard_normal(N.size) - s * s / 2)
    elif kind == "gaussian":  # Var = gamma mu^delta, delta = 1.5
        Y = mu + np.sqrt(1.0 * mu ** 1.5) * rng.standard_normal(N.size)
    else:
        Y = rng.poisson(mu).astype(float)
    return N, Y


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["lognormal", "gaussian", "poisson"])
def test_mle_confidence_intervals_cover_beta(kind):
    hits = 0
    for r in range(200):
        N, Y = generate(kind, np.random.default_rng(1000 + r))
        f = scaling.fit(N, Y, model=kind)
        hits += f.ci[0] <= BETA <= f.ci[1]
    assert hits >= 180, f"{kind}: beta in the 95% CI in {hits}/200 replicates"


@pytest.mark.parametrize("kind", ["lognormal", "gaussian", "poisson"])
def test_bic_picks_the_generating_model(kind):
    picked, deltas = [], []
    for r in range(10):
        N, Y = generate(kind, np.random.default_rng(5000 + r))
        if kind != "poisson":
            Y = Y.round(6)  # not integers: Poisson is skipped
        table = scaling.compare(N, Y)
        picked.append(table["model"].iloc[0])
        deltas.append(table["delta"].iloc[0] if "delta" in table else np.nan)
    if kind == "gaussian":
        # With relative fluctuations of 3-20% a lognormal with the same variance function
        # (Var = gamma E^delta, delta free) is nearly the same distribution: BIC then picks
        # one of the two models with the generating variance function, never a fixed delta = 2.
        assert all(p in ("gaussian", "lognormal (delta free)") for p in picked), picked
        assert picked.count("gaussian") >= 5 and np.all(np.abs(np.array(deltas) - 1.5) < 0.25), (picked, deltas)
    else:
        assert picked.count(kind) >= 9, picked


def test_gaussian_recovers_delta_and_ols_matches_lognormal_beta():
    N, Y = generate("gaussian", np.random.default_rng(7))
    f = scaling.fit(N, Y, model="gaussian")
    assert f.delta == pytest.approx(1.5, abs=0.15)
    N, Y = generate("lognormal", np.random.default_rng(8))
    ols, ln = scaling.fit(N, Y, model="ols"), scaling.fit(N, Y, model="lognormal")
    assert ols.beta == pytest.approx(np.polyfit(np.log(N), np.log(Y), 1)[0], abs=1e-6)
    assert ln.beta == pytest.approx(ols.beta, abs=1e-5)  # same family, mean vs median parameterisation
    boot = scaling.fit(N, Y, model="ols", ci="bootstrap", bootstrap=300, seed=1)
    prof = scaling.fit(N, Y, model="lognormal", ci="profile")
    wald = scaling.fit(N, Y, model="lognormal")
    assert prof.ci == pytest.approx(wald.ci, abs=0.01) and boot.ci == pytest.approx(wald.ci, abs=0.02)
    assert ln.data["p_beta_1"][0] < 1e-6  # beta = 1.15 is clearly superlinear


def test_sami_and_bad_input():
    N, Y = generate("lognormal", np.random.default_rng(9))
    s = scaling.sami(N, Y)
    assert abs(s["sami"].mean()) < 1e-9 and s["rank"].min() == 1
    assert s.loc[s["sami"].idxmax(), "rank"] == 1
    import matplotlib

    matplotlib.use("Agg")
    ax = scaling.plot_sami(s, top=5)
    bars = [p.get_width() for p in ax.patches]
    assert len(bars) == 10 and bars[0] == pytest.approx(s["sami"].max())  # top bar: the most above the law
    with pytest.raises(ValueError, match="argument 'N'"):
        scaling.fit([1, -2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="argument 'Y': has 2 values"):
        scaling.fit([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="at least 3 cities"):
        scaling.fit([1, 2], [1, 2])
    with pytest.raises(ValueError, match="integer counts"):
        scaling.fit([1, 2, 3], [1.5, 2, 3], model="poisson")
    with pytest.raises(ValueError, match="fewer than 3 cities with Y > 0"), pytest.warns(UserWarning, match="Y = 0"):
        scaling.fit([1, 2, 3, 4], [0, 0, 1, 2], model="lognormal")
    with pytest.warns(UserWarning, match="1 of 5 cities have Y = 0 .*index 0.* leaves them out"):
        f = scaling.fit([1, 2, 3, 4, 5], [0, 1, 2, 3, 4], model="ols")
    assert f.data["dropped_zeros"][0] == 1


def test_compare_ranks_every_model_on_the_same_cities():
    # Counts with zeros: the lognormal cannot use Y = 0, so a Poisson likelihood over all cities
    # would be ranked against a lognormal one over fewer. Every model is fitted to the same cities.
    rng = np.random.default_rng(3)
    n = np.exp(rng.uniform(np.log(1e4), np.log(1e7), 200))
    y = rng.poisson(2e-5 * n ** 1.15).astype(float)
    assert 5 < (y == 0).sum() < 100
    cities = pd.Index([f"city{i}" for i in range(n.size)])
    with pytest.warns(UserWarning, match=rf"{int((y == 0).sum())} of 200 cities have Y = 0 \(e.g. city 'city"):
        table = scaling.compare(pd.Series(n, index=cities), pd.Series(y, index=cities))
    kept = y > 0
    poisson = scaling.fit(n[kept], y[kept], model="poisson")
    row = table.set_index("model").loc["poisson"]
    assert row["loglik"] == pytest.approx(poisson.loglik, rel=1e-9)
    assert (table["dropped_zeros"] == (~kept).sum()).all()
    # Without a log model nothing is left out.
    all_cities = scaling.compare(n, y, models=("gaussian", "poisson")).set_index("model")
    assert all_cities.loc["poisson", "loglik"] == pytest.approx(scaling.fit(n, y, model="poisson").loglik, rel=1e-9)
    assert (all_cities["dropped_zeros"] == 0).all()


def test_bettencourt_2013_exponents():
    e = scaling.bettencourt_exponents(D=2, H=1)
    assert e["socioeconomic"] == Fraction(7, 6) and e["infrastructure"] == Fraction(5, 6)
    assert e["area"] == Fraction(2, 3)


def mixture(n, seed):
    rng = np.random.default_rng(seed)
    body = rng.uniform(1, 10, size=int(0.3 * n))
    return np.concatenate([body, scaling.sample(2.5, 10.0, n - body.size, seed=seed)])


def test_power_law_recovers_alpha_and_xmin():
    fits = [scaling.power_law(mixture(100_000, seed)) for seed in range(1, 6)]
    for f in fits:
        assert f.alpha == pytest.approx(2.5, abs=0.02)
        assert 9.5 <= f.xmin <= 20  # never inside the uniform body; noisy above it (CSN Fig. 3)
        assert f.sigma == pytest.approx((f.alpha - 1) / np.sqrt(f.n_tail))
    assert np.median([f.xmin for f in fits]) == pytest.approx(10.0, rel=0.15)


def test_discrete_power_law_and_csn_approximation():
    d = scaling.sample(2.5, 1, 100_000, discrete=True, seed=2)
    assert np.all(d == np.floor(d)) and d.min() == 1
    f = scaling.power_law(d)
    assert f.discrete and f.alpha == pytest.approx(2.5, abs=0.02) and f.xmin == 1
    g = scaling.power_law(d, xmin=10)
    tail = d[d >= 10]
    approx = 1 + tail.size / np.sum(np.log(tail / 9.5))  # CSN Eq. 3.7
    assert g.alpha == pytest.approx(approx, abs=0.01)
    # the exact discrete pmf: P(X = 1) = 1 / zeta(2.5)
    assert np.mean(d == 1) == pytest.approx(1 / ux._core.hurwitz_zeta(2.5, 1), abs=0.005)


def test_matches_the_powerlaw_package():
    powerlaw = pytest.importorskip("powerlaw")
    x = mixture(3000, 3)
    ours = scaling.power_law(x)
    ref = powerlaw.Fit(x, verbose=False)
    assert ours.alpha == pytest.approx(ref.power_law.alpha, rel=1e-10)
    assert ours.xmin == ref.power_law.xmin
    # powerlaw compares the CDFs on one side of each step; ours is the two-sided KS sup
    assert ref.power_law.D <= ours.ks + 1e-12 and ours.ks - ref.power_law.D <= 1.0 / ours.n_tail + 1e-12


def test_goodness_of_fit_and_vuong():
    # p is ~uniform for data that are a power law above x_min: its mean over data sets is ~0.5
    ps = [scaling.power_law(mixture(3000, seed)).gof(100, seed=seed) for seed in range(10, 18)]
    assert np.mean(ps) > 0.3
    pl = scaling.power_law(mixture(3000, 4))
    exp_data = 10 + np.random.default_rng(5).exponential(5.0, size=3000)
    ex = scaling.power_law(exp_data, xmin=10.0)
    assert ex.gof(200, seed=1) < 0.05
    R, p = ex.compare("exponential")
    assert R < 0 and p < 0.01
    R, p = pl.compare("exponential")
    assert R > 0 and p < 0.01
    R, p = pl.compare("truncated_power_law")
    assert R <= 1e-6 and p > 0.05  # no cutoff in the data
    R, p = pl.compare("lognormal")
    assert p > 0.05 or R > 0


def test_beta_vs_threshold_on_a_synthetic_grid():
    # Blocks of 2x2 cells on a 1 km grid, 3 km apart; city c has population P_c
    # and an indicator P_c^1.2 spread over its cells in proportion to population.
    rows = []
    for c, P in enumerate([1e3, 5e3, 2e4, 1e5, 4e5, 1e6]):
        for dx in (0, 1):
            for dy in (0, 1):
                w = (1 + dx + 2 * dy) / 10
                rows.append((3.0 * c + dx, dy, P * w, P ** 1.2 * w))
    x, y, pop, ind = (np.array(v) for v in zip(*rows))
    cells = ux.Graph.from_arrays([], [], n=x.size, node_attrs={"x": x, "y": y, "population": pop})
    table = scaling.beta_vs_threshold(cells, ind, [0.0, 1e9], ell=1.0)
    assert table["beta"].iloc[0] == pytest.approx(1.2, abs=1e-9) and table["cities"].iloc[0] == 6
    assert np.isnan(table["beta"].iloc[1])
    # A Series keyed by cell, in another order, is aligned by key (it was taken row by row).
    shuffled = pd.Series(ind).sample(frac=1, random_state=0)
    assert scaling.beta_vs_threshold(cells, shuffled, [0.0], ell=1.0)["beta"].iloc[0] == pytest.approx(1.2, abs=1e-9)


def test_tie_formation_matches_its_expectation_and_is_superlinear(run_python):
    res = scaling.tie_formation((250, 500, 1000, 2000, 4000), c=1.0, seed=3)
    ties, expected = res["ties"], res["expected"]
    assert np.all(np.abs(ties - expected) < 4 * np.sqrt(expected))  # Var <= E for sums of Bernoullis
    f = res.fit()
    assert f.ci[0] > 1.05 and f.beta < 1.2  # superlinear, ~1 + 1/ln N
    code = ("import urbplex as ux; print(ux.scaling.tie_formation((300, 600), seed=5)['ties'].tolist())")
    outs = {t: run_python(code, {"OMP_NUM_THREADS": t}).stdout for t in ("1", "2")}
    assert outs["1"] and outs["1"] == outs["2"]


def test_degenerate_scaling_inputs_are_named():
    # issue 35 item 13: one city with Y > 0 gave a bare LinAlgError, complex Y was fitted by its
    # real part, and a bootstrap resample without two such cities stopped the whole interval
    N = np.array([1e4, 2e4, 5e4, 1e5, 3e5])
    with pytest.raises(ValueError, match="only one city has Y > 0"):
        ux.scaling.fit(N, np.array([0, 0, 0, 0, 7.0]), model="poisson")
    with pytest.raises(TypeError, match="complex"):
        ux.scaling.fit(N, np.arange(1, 6) + 0j)
    with pytest.raises(TypeError, match="complex"):
        ux.scaling.fit(N, [1, 2, 3, 4, complex(5, 1)])
    rng = np.random.default_rng(1)
    sizes = np.round(10 ** rng.uniform(4, 6, 30))
    counts = np.where(rng.random(30) < 0.85, 0, rng.poisson(sizes / 1e3))
    with pytest.warns(UserWarning, match="bootstrap resamples could not identify beta"):
        r = ux.scaling.fit(sizes, counts, model="poisson", ci="bootstrap", bootstrap=200)
    assert np.all(np.isfinite(r.data["ci"])) and r.data["ci"][0] < r.beta < r.data["ci"][1]
