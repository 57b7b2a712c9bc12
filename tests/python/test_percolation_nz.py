"""Newman–Ziff percolation against exact thresholds and giant-component equations."""
import numpy as np
import pytest

import urbplex as ux
from urbplex.percolation import theory

# Exact wrapping probabilities at p_c on a square torus (Pinson 1994; Newman & Ziff 2001, Eq. 29-30).
R_H = 0.521058290


def crossing(a, b, lo, hi, criterion="either"):
    """p where the wrapping probabilities of two lattice sizes cross (shape-independent estimate of p_c)."""
    f = lambda p: a.wrapping_probability(p, criterion)[0] - b.wrapping_probability(p, criterion)[0]  # noqa: E731
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.sign(f(mid)) == np.sign(f(lo)) else (lo, mid)
    return (lo + hi) / 2


def test_square_lattice_site_threshold():
    L = 256
    res = ux.percolation.site(ux.generators.square_lattice(L, periodic=True), realizations=200, seed=11,
                              lattice=(L, L))
    p_h = res.wrapping_threshold(R_H, "h")
    p_v = res.wrapping_threshold(R_H, "v")
    assert (p_h + p_v) / 2 == pytest.approx(0.592746, abs=0.003)


def test_square_lattice_bond_threshold():
    L = 256
    res = ux.percolation.bond(ux.generators.square_lattice(L, periodic=True), realizations=200, seed=12,
                              lattice=(L, L))
    p = (res.wrapping_threshold(R_H, "h") + res.wrapping_threshold(R_H, "v")) / 2
    assert p == pytest.approx(0.5, abs=0.003)


def test_triangular_lattice_bond_threshold():
    # p_c = 2 sin(pi/18) (Sykes & Essam 1964); the torus is rhombic, so use the crossing of two sizes.
    res = {L: ux.percolation.bond(ux.generators.triangular_lattice(L, periodic=True), realizations=300, seed=13,
                                  lattice=(L, L)) for L in (128, 256)}
    lo, hi = (res[256].wrapping_threshold(r) for r in (0.1, 0.9))  # bracket where the curves are steep
    assert crossing(res[128], res[256], lo, hi) == pytest.approx(2 * np.sin(np.pi / 18), abs=0.003)


def test_erdos_renyi_giant_component():
    # Keeping each edge of G(n, 6/n) with probability phi gives G(n, 6 phi / n): S = 1 - exp(-c S).
    n = 1_000_000
    g = ux.generators.erdos_renyi(n, mean_degree=6.0, seed=14)
    assert 2 * g.m / n == pytest.approx(6.0, abs=0.01)
    res = ux.percolation.bond(g, realizations=4, seed=15, p=[1 / 3, 1 / 2])
    assert res.to_frame()["largest"].tolist() == pytest.approx([0.796812, 0.940480], abs=0.003)


def test_configuration_model_matches_generating_functions():
    rng = np.random.default_rng(3)
    n = 400_000
    deg = np.minimum(rng.geometric(0.3, size=n), 60)  # broad, finite variance: phi_c ~ 0.25
    if deg.sum() % 2:
        deg[0] += 1
    g = ux.generators.configuration_model(deg, seed=4)
    phi = np.linspace(0.05, 1.0, 39)
    pk = theory.degree_distribution(g.degree())
    for kind, run in (("site", ux.percolation.site), ("bond", ux.percolation.bond)):
        sim = run(g, realizations=6, seed=5, p=phi).to_frame()["largest"].to_numpy()
        th = theory.giant_component(pk, phi, kind=kind)
        assert np.max(np.abs(sim - th)) < 0.01, kind


def test_single_sweeps_by_hand_and_hierarchy_levels():
    k3 = ux.Graph.from_arrays([0, 1, 2], [1, 2, 0])
    r = ux.percolation.sweep(k3, [0, 1, 2], kind="bond")
    np.testing.assert_allclose(r["largest"] * 3, [1, 2, 3, 3])
    np.testing.assert_allclose(r["second"] * 3, [1, 1, 0, 0])
    np.testing.assert_allclose(r["clusters"], [3, 2, 1, 1])
    c4 = ux.Graph.from_arrays([0, 1, 2, 3], [1, 2, 3, 0])
    r = ux.percolation.sweep(c4, [0, 2, 1, 3], kind="site")
    np.testing.assert_allclose(r["largest"] * 4, [0, 1, 1, 3, 4])
    np.testing.assert_allclose(r["mean_finite_size"], [0, 0, 1, 0, 0])
    h = ux.Hierarchy.from_grid(ux.generators.square_lattice(32), cell=2.0, levels=2)
    res = ux.percolation.site(h, level=1, realizations=10, seed=1)
    assert res.n == h.level(1).n and res.parameters["level"] == 1


def test_thread_count_invariance_of_ensembles(run_python):
    code = ("import hashlib, urbplex as ux; g = ux.generators.erdos_renyi(50000, mean_degree=3, seed=1);"
            "r = ux.percolation.bond(g, realizations=12, seed=9);"
            "print(hashlib.sha256(r['largest'].tobytes() + r['second'].tobytes() + r['mean_finite_size'].tobytes()).hexdigest())")
    outs = {t: run_python(code, {"OMP_NUM_THREADS": t}).stdout for t in ("1", "2")}
    assert outs["1"] and outs["1"] == outs["2"]


def test_round_trip_and_bad_input(tmp_path):
    g = ux.generators.square_lattice(10)
    res = ux.percolation.site(g, realizations=5, seed=1)
    res.save(tmp_path / "p.h5", "site")
    back = ux.io.load_run(tmp_path / "p.h5", "site")
    assert isinstance(back, ux.percolation.PercolationResult)
    assert back.to_frame().equals(res.to_frame())
    with pytest.raises(ValueError, match="argument 'realizations'"):
        ux.percolation.site(g, realizations=0)
    with pytest.raises(ValueError, match="graph is empty"):
        ux.percolation.site(ux.Graph.from_arrays([], [], n=0))
    with pytest.raises(ValueError, match="no edges"):
        ux.percolation.bond(ux.Graph.from_arrays([], [], n=3))
    with pytest.raises(ValueError, match="argument 'lattice'"):
        ux.percolation.site(g, lattice=(7, 7))
    with pytest.raises(ValueError, match="argument 'order'"):
        ux.percolation.sweep(g, [0, 0])
    with pytest.raises(ValueError, match="argument 'p'"):
        res.canonical([0.5, float("nan")])
    with pytest.raises(TypeError, match="argument 'graph'"):
        ux.percolation.site("not a graph")


def test_many_orders_in_one_sweep_call_average_as_realizations():
    """Issue 17: attack orders are swept in C++ in parallel, not one Python call each."""
    g = ux.generators.erdos_renyi(2_000, p=4 / 2_000, seed=5)
    orders = np.array([np.random.default_rng(s).permutation(g.m) for s in range(6)])
    many = ux.percolation.sweep(g, orders, kind="bond")
    singles = [ux.percolation.sweep(g, o, kind="bond") for o in orders]
    for key in ("largest", "second", "clusters", "susceptibility"):
        np.testing.assert_allclose(many[key], np.mean([s[key] for s in singles], axis=0), rtol=1e-12, atol=1e-15)
    assert many.parameters["realizations"] == 6
    with ux.threads(1):
        one = ux.percolation.sweep(g, orders, kind="bond")
    np.testing.assert_array_equal(one["largest"], many["largest"])
    bad = orders.copy()
    bad[3, 1] = bad[3, 0]
    with pytest.raises(ValueError, match=r"row 3: entry \d+ appears twice"):
        ux.percolation.sweep(g, bad, kind="bond")


@pytest.mark.slow
def test_susceptibility_at_pc_gives_gamma_over_nu():
    """chi(p_c) = sum of s^2 / n over all clusters, the largest included, grows as
    L^(gamma/nu) with gamma/nu = 43/24 (issue 17; L = 64...512 periodic square
    lattices, 1000 realizations each). The peak of mean_finite_size (largest
    left out) has strong corrections on a torus and misses it."""
    sizes = [64, 128, 256, 512]
    chi, finite = [], []
    for L in sizes:
        res = ux.percolation.site(ux.generators.square_lattice(L, L, periodic=True), realizations=1000, seed=L)
        chi.append(float(res.canonical([0.5927460508])["susceptibility"].iloc[0]))
        finite.append(float(res.canonical(np.linspace(0.55, 0.62, 701))["mean_finite_size"].max()))
    slope = np.polyfit(np.log(sizes), np.log(chi), 1)[0]
    assert abs(slope - 43 / 24) < 0.03
    assert abs(np.polyfit(np.log(sizes), np.log(finite), 1)[0] - 43 / 24) > 0.05
