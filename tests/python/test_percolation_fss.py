"""Error bars, finite-size scaling and more lattices (issue 38): thresholds of
BCC, FCC, diamond and 4-D hypercubic lattices from crossings with bootstrap
errors, tau with its correction to scaling, and standard errors that agree
with the spread of independent batches."""
import numpy as np
import pytest

import urbplex as ux

PC_SQUARE = 0.59274621  # Newman & Ziff 2000
R_EITHER = 0.6904737    # Pinson 1994: wrapping either way on a square torus at p_c


@pytest.mark.parametrize("name, per_cell, degree, period", [("bcc", 2, 8, 2), ("fcc", 4, 12, 2), ("diamond", 8, 4, 4)])
def test_crystal_lattices_have_their_coordination_and_unit_bonds(name, per_cell, degree, period):
    make = getattr(ux.generators, f"{name}_lattice")
    g = make(4)
    assert g.n == per_cell * 4**3 and g.m == g.n * degree // 2
    assert set(np.asarray(g.degree())) == {degree}
    pairs = set(zip(np.minimum(g.edge_sources, g.edge_targets), np.maximum(g.edge_sources, g.edge_targets)))
    assert len(pairs) == g.m  # no parallel edges
    assert max(np.asarray(g.node("lattice_x"))) == period * 4 - 1
    o = make(3, periodic=False)
    x, y, z = (np.asarray(o.node(a)) for a in "xyz")
    s, t = np.asarray(o.edge_sources), np.asarray(o.edge_targets)
    np.testing.assert_allclose(np.sqrt((x[s] - x[t]) ** 2 + (y[s] - y[t]) ** 2 + (z[s] - z[t]) ** 2), 1.0)
    assert np.asarray(o.degree()).max() == degree and np.asarray(o.degree()).min() < degree


def test_hypercubic_lattice_in_four_dimensions():
    g = ux.generators.hypercubic_lattice(5, 4)
    assert (g.n, g.m) == (625, 2500) and set(np.asarray(g.degree())) == {8}
    assert ux.generators.hypercubic_lattice(4, 2, periodic=False).m == ux.generators.square_lattice(4).m
    with pytest.raises(ValueError, match="argument 'L'"):
        ux.generators.hypercubic_lattice(2, 4)


@pytest.mark.parametrize("name, kind, pc, period", [
    ("bcc", "site", 0.2459615, 2),                                      # Lorenz & Ziff 1998
    pytest.param("bcc", "bond", 0.1802875, 2, marks=pytest.mark.slow),
    pytest.param("fcc", "site", 0.1992365, 2, marks=pytest.mark.slow),
    pytest.param("fcc", "bond", 0.1201635, 2, marks=pytest.mark.slow),
    pytest.param("diamond", "site", 0.4301, 4, marks=pytest.mark.slow),  # van der Marck 1997
    pytest.param("diamond", "bond", 0.3893, 4, marks=pytest.mark.slow)])
def test_three_dimensional_thresholds_from_wrapping_crossings(name, kind, pc, period):
    grid = np.linspace(pc - 0.02, pc + 0.02, 81)
    runs = [getattr(ux.percolation, kind)(getattr(ux.generators, f"{name}_lattice")(L), realizations=400,
                                          lattice=(period * L,) * 3, p=grid, seed=L) for L in (6, 12)]
    c = ux.percolation.crossing(*runs, "wrap_either", bootstrap=200)
    assert c.stderr < 0.003
    assert abs(c.p - pc) < 3 * c.stderr


@pytest.mark.slow
@pytest.mark.parametrize("kind, pc", [("site", 0.196890), ("bond", 0.160130)])  # Grassberger 2003
def test_four_dimensional_thresholds_from_binder_crossings(kind, pc):
    grid = np.linspace(pc - 0.02, pc + 0.02, 81)
    runs = [getattr(ux.percolation, kind)(ux.generators.hypercubic_lattice(L, 4), realizations=400, p=grid, seed=L)
            for L in (6, 12)]
    c = ux.percolation.crossing(*runs, "binder", near=pc, bootstrap=200)
    assert c.stderr < 0.003
    assert abs(c.p - pc) < 3 * c.stderr


@pytest.fixture(scope="module")
def square_runs():
    grid = np.linspace(0.585, 0.600, 61)
    return {L: ux.percolation.site(ux.generators.square_lattice(L, periodic=True), realizations=R, lattice=(L, L),
                                   p=grid, seed=L) for L, R in ((64, 2000), (128, 1000), (256, 500))}


@pytest.mark.slow
def test_crossings_give_the_square_lattice_threshold(square_runs):
    for a, b in ((64, 128), (128, 256)):
        c = ux.percolation.crossing(square_runs[a], square_runs[b], "wrap_either", bootstrap=200)
        assert c.stderr < 1.5e-3
        assert abs(c.p - PC_SQUARE) < 3 * c.stderr
    # and at p_c the wrapping probability has its universal value, within the reported error
    for L, run in square_runs.items():
        frame = run.errors_frame()
        at = np.interp(PC_SQUARE, frame["p"], frame["wrap_either"])
        err = np.interp(PC_SQUARE, frame["p"], frame["wrap_either_stderr"])
        assert abs(at - R_EITHER) < 3 * err + 2e-3, L


@pytest.mark.slow
def test_collapse_quality_prefers_the_true_exponent(square_runs):
    runs, sizes = [square_runs[L] for L in (64, 128, 256)], [64, 128, 256]
    good = ux.percolation.collapse_quality(runs, sizes, PC_SQUARE, 4 / 3)
    assert good < 1.5
    assert ux.percolation.collapse_quality(runs, sizes, PC_SQUARE, 1.0) > 2.5 * good
    fit = ux.percolation.fit_collapse(runs, sizes, 0.59, 1.2)
    assert fit["p_c"] == pytest.approx(PC_SQUARE, abs=2e-3) and fit["S"] <= good + 1e-9


@pytest.mark.slow
def test_tau_with_the_correction_to_scaling():
    # Stauffer & Aharony: n_s ~ s^-tau (1 + B s^-Omega), tau = 187/91, Omega = 72/91 (Ziff 2011)
    ns = ux.percolation.cluster_sizes(ux.generators.square_lattice(1024, periodic=True), PC_SQUARE,
                                      realizations=200, seed=1)
    fit = ux.percolation.fit_cluster_sizes(ns, s_min=10, s_max=1e4)
    assert fit["tau"] == pytest.approx(187 / 91, abs=0.01)
    assert 0.5 < fit["chi2_dof"] < 2
    plain = ux.percolation.fit_cluster_sizes(ns, s_min=10, s_max=1e4, correction=None)
    assert abs(plain["tau"] - 187 / 91) > 0.03


def test_percolation_standard_errors_agree_with_the_spread_of_batches():
    g = ux.generators.square_lattice(24, periodic=True)
    grid = np.linspace(0.5, 0.7, 21)
    runs = [ux.percolation.site(g, realizations=10, seed=s, lattice=(24, 24), p=grid) for s in range(100)]
    for name in ("largest", "second", "susceptibility", "wrap_either", "binder"):
        means = np.array([r.binder() if name == "binder" else r.per_realization(name).mean(axis=0) for r in runs])
        reported = np.array([r.stderr[name] for r in runs])
        ratio = np.sqrt((reported**2).mean()) / np.sqrt(means.var(axis=0, ddof=1).mean())
        assert ratio == pytest.approx(1.0, abs=0.2), name
    # the per-realization means are the microcanonical means made canonical
    r = runs[0]
    np.testing.assert_allclose(r.per_realization("largest").mean(axis=0), r.canonical()["largest"], atol=1e-12)
    # the Binder cumulant goes to 2/3 where the largest cluster no longer fluctuates
    assert r.binder()[-1] == pytest.approx(2 / 3, abs=0.01)


def test_bad_finite_size_inputs_are_named():
    g = ux.generators.square_lattice(8, periodic=True)
    a = ux.percolation.site(g, realizations=5, lattice=(8, 8), p=[0.5, 0.6])
    b = ux.percolation.site(g, realizations=5, lattice=(8, 8), p=[0.5, 0.7])
    with pytest.raises(ValueError, match="same grid"):
        ux.percolation.crossing(a, b)
    with pytest.raises(ValueError, match="no per-realization values of 'wrap_d'"):
        a.per_realization("wrap_d")
    with pytest.raises(ValueError, match="argument 'p'"):
        ux.percolation.site(g, p=[1.5])
    with pytest.raises(ValueError, match="at least two runs"):
        ux.percolation.collapse_quality([a], [8], 0.59, 4 / 3)
    # lattice= is checked against the graph (issue 35 item 16): an ER graph of w*h vertices
    # gave wrapping probability 1, an open honeycomb 0, silently
    with pytest.raises(ValueError, match="not a lattice step"):
        ux.percolation.site(ux.generators.erdos_renyi(100, mean_degree=4, seed=1), lattice=(10, 10))
    with pytest.raises(ValueError, match="not periodic"):
        ux.percolation.bond(ux.generators.honeycomb_lattice(8), lattice=(8, 8))
    # more realizations than the per-realization budget: means only, with a warning
    import urbplex.percolation.newman_ziff as nz
    old, nz.PER_REALIZATION_BUDGET = nz.PER_REALIZATION_BUDGET, 1000
    try:
        with pytest.warns(UserWarning, match="not kept"):
            big = ux.percolation.site(g, realizations=20, lattice=(8, 8), p=[0.5, 0.6])
    finally:
        nz.PER_REALIZATION_BUDGET = old
    assert big.stderr == {} and big.canonical()["largest"].size == 2


@pytest.mark.slow
def test_continuum_disks_percolate_at_the_mertens_moore_filling():
    r = ux.percolation.continuum(5000, realizations=400, seed=2)
    th = r.threshold()
    assert th.stderr < 0.005
    assert abs(th.value - 1.12808737) < 3 * th.stderr
    # the fraction wrapped at eta_c is the universal 0.6905 (within the binomial error of 400 runs)
    assert r.wrapping_probability(1.12808737)[0] == pytest.approx(0.6904737, abs=3 * np.sqrt(0.69 * 0.31 / 400))
    with pytest.raises(ValueError, match="argument 'n'"):
        ux.percolation.continuum(20, eta_max=50)
    with pytest.raises(ValueError, match="criterion"):
        r.threshold("diagonal")


def _batch_ratio(reported, means):
    """RMS reported error over the spread of the batch means (pooled over points)."""
    reported, means = np.atleast_2d(reported), np.atleast_2d(means)
    keep = means.std(axis=0) > 1e-12
    return np.sqrt((reported[:, keep] ** 2).mean()) / np.sqrt(means[:, keep].var(axis=0, ddof=1).mean())


def test_attack_and_interdependent_errors_agree_with_the_spread_of_batches():
    g = ux.generators.erdos_renyi(400, mean_degree=3.0, seed=1)
    runs = [ux.percolation.attack(g, "random", realizations=10, seed=1000 * s) for s in range(100)]
    assert _batch_ratio([r.stderr["largest"] for r in runs], [r.data["largest"] for r in runs]) == \
        pytest.approx(1.0, abs=0.2)
    for r in runs[:3]:  # a random attack's R is the mean of its realizations' own
        assert r.data["robustness_each"].mean() == pytest.approx(r.robustness, rel=1e-12)
    rob = np.array([r.robustness for r in runs])
    assert np.mean([r.stderr["robustness"] for r in runs]) / rob.std(ddof=1) == pytest.approx(1.0, abs=0.2)
    a, b = ux.generators.erdos_renyi(300, mean_degree=5.0, seed=2), ux.generators.erdos_renyi(300, mean_degree=5.0, seed=3)
    mut = [ux.percolation.mutual_giant_component(a, b, realizations=10, seed=1000 * s, p=np.linspace(0.4, 1, 13),
                                                 tol=1e-3) for s in range(60)]
    th = np.array([m.threshold for m in mut])
    assert np.mean([m.stderr["threshold"] for m in mut]) / th.std(ddof=1) == pytest.approx(1.0, abs=0.25)
    assert _batch_ratio([m.stderr["mcgc"] for m in mut], [m.data["mcgc"] for m in mut]) == pytest.approx(1.0, abs=0.25)


def test_a_targeted_attack_shows_the_spread_of_its_tie_breakings():
    g = ux.generators.erdos_renyi(3000, mean_degree=4.0, seed=1)
    one = ux.percolation.attack(g, "degree")
    assert np.isnan(one.stderr["robustness"])
    many = ux.percolation.attack(g, "degree", realizations=8, seed=0)
    assert 0 < many.stderr["robustness"] < 0.01
    np.testing.assert_array_equal(many.data["order"], one.data["order"])  # realization 0 is the single run


def test_spanning_on_open_lattices():
    # a 1 x 5 strip spans along x only when all its 5 sites are occupied: p^5
    strip = ux.percolation.site(ux.generators.square_lattice(5, 1), realizations=50, lattice=(5, 1), spanning=True,
                                p=[0.5, 0.9])
    np.testing.assert_allclose(strip.spanning_probability([0.5, 0.9], "h"), [0.5**5, 0.9**5], atol=1e-12)
    # bonds: the 4 bonds must all be there to join the ends; every site of a strip one
    # site high touches both y faces, so it spans vertically before any bond
    bonds = ux.percolation.bond(ux.generators.square_lattice(5, 1), realizations=50, lattice=(5, 1), spanning=True,
                                p=[0.0, 0.5])
    np.testing.assert_allclose(bonds.spanning_probability([0.0, 0.5], "h"), [0.0, 0.5**4], atol=1e-12)
    np.testing.assert_allclose(bonds.spanning_probability([0.0, 0.5], "v"), [1.0, 1.0], atol=1e-12)
    # Cardy (1992): a square spans left to right at p_c with probability 1/2
    L = 128
    r = ux.percolation.site(ux.generators.square_lattice(L), realizations=2000, lattice=(L, L), spanning=True,
                            p=[PC_SQUARE], seed=1)
    f = r.errors_frame()
    for axis in ("span_h", "span_v"):
        assert abs(f[axis][0] - 0.5) < 3 * f[f"{axis}_stderr"][0] + 0.01
    assert f["span_both"][0] < f["span_h"][0] < f["span_either"][0]
    with pytest.raises(ValueError, match="spanning"):
        ux.percolation.site(ux.generators.square_lattice(4), spanning=True)
    with pytest.raises(ValueError, match="no spanning data"):
        strip.spanning_probability(0.5, "d")
