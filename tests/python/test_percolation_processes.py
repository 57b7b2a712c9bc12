"""k-core and explosive percolation against their theory, and error bars that
agree with the spread of independent batches (issue 38)."""
import numpy as np
import pytest

import urbplex as ux
from urbplex.percolation import theory


@pytest.fixture(scope="module")
def regular4():
    return ux.generators.configuration_model([4] * 1_000_000, seed=1)


@pytest.fixture(scope="module")
def core_run(regular4):
    return ux.percolation.k_core(regular4, 3, realizations=8, seed=0, p=np.linspace(0.85, 0.95, 11))


def test_k_core_theory_on_random_regular_graphs_is_exact():
    # Dorogovtsev, Goltsev & Mendes 2006 on 4-regular graphs, k = 3: R = p (3R^2 - 2R^3),
    # p_c = min R / (3R^2 - 2R^3) = 8/9 at R = 3/4, M_c = p_c (4 R^3 (1 - R) + R^4) = 21/32.
    pc, mc = theory.k_core_threshold([0, 0, 0, 0, 1], 3)
    assert pc == pytest.approx(8 / 9, abs=1e-10)
    assert mc == pytest.approx(21 / 32, abs=1e-9)
    assert theory.k_core([0, 0, 0, 0, 1], 3, 1.0) == pytest.approx(1.0)
    assert theory.k_core([0, 0, 0, 0, 1], 3, 0.88) == 0.0
    # p = 0.9: R solves 1 = 0.9 (3R - 2R^2), the larger root
    R = (2.7 + np.sqrt(2.7**2 - 4 * 1.8)) / 3.6
    assert theory.k_core([0, 0, 0, 0, 1], 3, 0.9) == pytest.approx(0.9 * (4 * R**3 * (1 - R) + R**4), rel=1e-10)


@pytest.mark.slow
def test_the_3_core_of_4_regular_graphs_jumps_by_the_theory_at_the_threshold(core_run):
    # the core collapses in one avalanche: its size just before is the jump, at p_c = 8/9
    assert core_run.data["jump"].mean() == pytest.approx(21 / 32, rel=0.01)
    assert core_run.data["jump_p"].mean() == pytest.approx(8 / 9, abs=1e-3)
    df = core_run.to_frame()
    want = theory.k_core([0, 0, 0, 0, 1], 3, df["p"].to_numpy())
    assert np.all(df["core"][df["p"] < 0.885] == 0)
    above = df["p"].to_numpy() >= 0.9  # away from the critical window
    assert np.all(np.abs(df["core"].to_numpy()[above] - want[above]) < 4 * df["stderr"].to_numpy()[above] + 2e-4)


def test_k_core_members_are_the_k_core():
    nx = pytest.importorskip("networkx")
    g = ux.generators.erdos_renyi(3000, mean_degree=5.0, seed=3)
    for k in (2, 3, 4):
        want = set(nx.k_core(nx.Graph(g.to_networkx()), k).nodes)
        assert set(np.flatnonzero(ux.percolation.k_core_members(g, k))) == want
    # every kept vertex of a sweep's full graph is in its core: the micro curve at n equals the core
    r = ux.percolation.k_core(g, 3, realizations=2, seed=1)
    assert r.data["micro_core"][-1] * g.n == pytest.approx(ux.percolation.k_core_members(g, 3).sum())


def test_k_core_does_not_depend_on_the_thread_count():
    g = ux.generators.configuration_model([3] * 4000 + [5] * 4000, seed=2)
    with ux.threads(1):
        a = ux.percolation.k_core(g, 3, realizations=6, seed=9)
    with ux.threads(2):
        b = ux.percolation.k_core(g, 3, realizations=6, seed=9)
    np.testing.assert_array_equal(a.data["realization_core"], b.data["realization_core"])
    np.testing.assert_array_equal(a.data["micro_core"], b.data["micro_core"])


def test_k_core_errors_are_named():
    g = ux.generators.square_lattice(5)
    with pytest.raises(ValueError, match="argument 'k'"):
        ux.percolation.k_core(g, -1)
    with pytest.raises(ValueError, match="argument 'p'"):
        ux.percolation.k_core(g, 2, p=[0.5, 1.5])
    with pytest.raises(ValueError, match="undirected"):
        ux.percolation.k_core(ux.Graph.from_arrays([0, 1], [1, 2], n=3, directed=True), 1)


def test_standard_errors_agree_with_the_spread_of_independent_batches():
    # 100 batches of 10 realizations: the spread of the batch means is the
    # error each batch reports (pooled over the p where the core fluctuates;
    # the spread of 100 batches is itself known to about 7%).
    g = ux.generators.configuration_model([4] * 3000, seed=5)
    grid = np.linspace(0.86, 1.0, 15)
    runs = [ux.percolation.k_core(g, 3, realizations=10, seed=s, p=grid) for s in range(100)]
    means = np.array([r.data["core"] for r in runs])
    reported = np.array([r.stderr["core"] for r in runs])
    keep = reported.mean(axis=0) > 1e-9  # p = 1: every realization keeps the whole graph
    ratio = np.sqrt((reported[:, keep] ** 2).mean()) / np.sqrt((means[:, keep].var(axis=0, ddof=1)).mean())
    assert ratio == pytest.approx(1.0, abs=0.2)
    jumps = np.array([r.data["jump"].mean() for r in runs])
    assert np.mean([r.stderr["jump"] for r in runs]) / jumps.std(ddof=1) == pytest.approx(1.0, abs=0.2)
    # the explosive process's exact per-step errors
    ex = [ux.percolation.explosive(n=2000, t_max=1.0, realizations=10, seed=s) for s in range(100)]
    means = np.array([r.data["largest"] for r in ex])
    reported = np.array([r.stderr["largest"] for r in ex])
    ratio = np.sqrt((reported**2).mean()) / np.sqrt(means.var(axis=0, ddof=1).mean())
    assert ratio == pytest.approx(1.0, abs=0.2)


@pytest.mark.slow
def test_product_rule_transition_is_sharp_near_t_0888():
    # Achlioptas, D'Souza & Spencer 2009: n^1/2 -> n/2 in at most 2 n^(2/3) edges;
    # t_c = 0.888449 (Ziff 2010). Erdős–Rényi's window is of order 1, at t = 1/2.
    pr = ux.percolation.explosive(n=1_000_000, rule="product", t_max=1.0, realizations=4, seed=0)
    assert pr.peak_second() == pytest.approx(0.888449, abs=1e-3)
    tr = pr.transition()
    assert tr["t_high"] == pytest.approx(0.888449, abs=3e-3)
    assert tr["window"] < 2 * 1_000_000 ** (-1 / 3)
    er = ux.percolation.explosive(n=1_000_000, rule="erdos_renyi", t_max=1.0, realizations=4, seed=0)
    assert er.peak_second() == pytest.approx(0.5, abs=0.01)
    assert er.transition()["window"] > 0.15
    # ER's giant component above 1/2: S = 1 - exp(-2 t S)
    S = 0.5
    for _ in range(200):
        S = 1 - np.exp(-2 * 1.0 * S)
    assert er.data["largest"][-1] == pytest.approx(S, abs=3e-3)


def test_the_random_rule_on_a_graph_is_bond_percolation():
    g = ux.generators.square_lattice(64, periodic=True)
    ex = ux.percolation.explosive(g, rule="erdos_renyi", realizations=200, seed=3)
    nz = ux.percolation.bond(g, realizations=200, seed=4)
    diff = ex.data["largest"] - nz.data["largest"]
    err = np.hypot(ex.stderr["largest"], np.sqrt(np.maximum(nz.data["largest_sq"] - nz.data["largest"] ** 2, 0) / 199))
    assert np.mean(np.abs(diff) <= 4 * err + 1e-12) > 0.99
    # the product rule delays the lattice's transition (Ziff 2009: p_c = 0.526565 against 1/2)
    pr = ux.percolation.explosive(g, rule="product", realizations=50, seed=3)
    assert pr.transition(low=0.25, high=0.25)["t_high"] / 2 > ex.transition(low=0.25, high=0.25)["t_high"] / 2 + 0.01


def test_explosive_is_thread_invariant_and_checks_its_arguments():
    with ux.threads(1):
        a = ux.percolation.explosive(n=5000, realizations=5, seed=2, rule="sum")
    with ux.threads(2):
        b = ux.percolation.explosive(n=5000, realizations=5, seed=2, rule="sum")
    np.testing.assert_array_equal(a.data["largest"], b.data["largest"])
    with pytest.raises(ValueError, match="argument 'rule'"):
        ux.percolation.explosive(n=100, rule="min")
    with pytest.raises(TypeError, match="either a graph or n"):
        ux.percolation.explosive()
    with pytest.raises(ValueError, match="argument 'n'"):
        ux.percolation.explosive(n=1)


def test_partition_similarity_exact_values():
    from urbplex.multiscale import ari, nmi, vi

    a, b = [0, 0, 1, 2], [0, 0, 1, 1]  # B is a coarsening of A: I = H(B) = ln 2, H(A) = 1.5 ln 2
    assert nmi(a, b) == pytest.approx(0.8, abs=1e-12)
    assert ari(a, b) == pytest.approx(4 / 7, abs=1e-12)
    assert vi(a, b) == pytest.approx(0.5 * np.log(2), abs=1e-12)
    assert vi(a, b, normalized=True) == pytest.approx(0.5 * np.log(2) / np.log(4), abs=1e-12)
    # labels of any kind; invariant under renaming; symmetric
    assert nmi(["x", "x", "y", "z"], ["q", "q", "r", "r"]) == pytest.approx(0.8)
    assert ari(b, a) == pytest.approx(ari(a, b))
    # independent random partitions: all near 0 (ARI in expectation exactly)
    rng = np.random.default_rng(0)
    u, w = rng.integers(0, 8, 200_000), rng.integers(0, 8, 200_000)
    assert abs(ari(u, w)) < 1e-3 and nmi(u, w) < 1e-3
    assert vi(u, u) == 0.0 and nmi(u, u) == 1.0 and ari(u, u) == 1.0
    # a planted partition recovered by Leiden
    g = ux.generators.erdos_renyi(10, p=1.0, seed=0)
    res = ux.multiscale.communities(g, seed=0)
    assert nmi(res, np.zeros(10, dtype=int)) == 1.0
    with pytest.raises(ValueError, match="different sizes"):
        nmi([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="NaN"):
        ari([0.0, np.nan], [0, 1])
