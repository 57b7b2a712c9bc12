"""Multiscale: Laplacian RG, multilayer supra-Laplacian, street statistics, cross-scale tables."""
import numpy as np
import pytest

import urbplex as ux
from urbplex import multiscale as ms


def ring(n):
    i = np.arange(n)
    return ux.Graph.from_arrays(i, (i + 1) % n, n=n)


def two_cliques():
    edges = [(a, b) for a in range(5) for b in range(a + 1, 5)]
    edges += [(a + 5, b + 5) for a, b in edges] + [(4, 5)]
    s, t = zip(*edges)
    return ux.Graph.from_arrays(s, t, n=10)


@pytest.mark.slow
def test_lrg_specific_heat_plateaus_at_half_the_dimension():
    r = ms.entropy(ring(4096), tau=np.logspace(0, 5, 26))
    c = r.data["specific_heat"][(r.tau >= 10) & (r.tau <= 1e5)]
    assert np.all(np.abs(c - 0.5) < 0.02), c
    t = ms.entropy(ux.generators.square_lattice(64, periodic=True), tau=np.logspace(0, 3, 16))
    # plateau between the lattice scale and the system scale 1/lambda_2 ~ 104
    c2 = t.data["specific_heat"][(t.tau >= 10) & (t.tau <= 70)]
    assert c2.size >= 4 and np.all(np.abs(c2 - 1.0) < 0.03), c2
    assert t.plateau(10, 70) == pytest.approx(1.0, abs=0.03)
    assert r.entropy[0] > r.entropy[-1]  # entropy falls as tau grows


def exact_curves(lam, tau, n):
    from urbplex.multiscale.spectral_density import entropy_curves

    S, C = entropy_curves(lam, np.ones(lam.size), tau)
    return S / np.log(n), C


@pytest.mark.slow
def test_lrg_stochastic_quadrature_matches_exact_spectra_beyond_the_dense_limit():
    tau = np.logspace(-1, 5, 31)
    # 130 x 130 torus (16900 nodes, past the dense max_nodes): lambda = 4 - 2cos(2 pi a/L) - 2cos(2 pi b/L)
    L = 130
    c = 2 * np.cos(2 * np.pi * np.arange(L) / L)
    S0, C0 = exact_curves((4 - c[:, None] - c[None, :]).ravel(), tau, L * L)
    with pytest.warns(UserWarning, match="raise steps"):
        t = ms.entropy(ux.generators.square_lattice(L, periodic=True), tau=tau)  # auto: slq above max_nodes
    assert t.parameters["method"] == "slq"
    ok = t.data["resolved"]
    assert ok[tau <= 300].all() and ok[tau >= 3000].all()  # the gap: neither quadrature nor exact modes
    assert np.abs(t.entropy - S0)[ok].max() < 0.005
    assert np.abs(t.specific_heat - C0)[ok].max() < 0.05  # C ~ 1 on the plateau
    assert t.plateau(10, 100) == pytest.approx(1.0, abs=0.03)
    # 1-D ring of 20000 nodes, lambda_k = 2 - 2cos(2 pi k / n): C = 1/2 up to the quadrature's reach
    n = 20000
    S0, C0 = exact_curves(2 - 2 * np.cos(2 * np.pi * np.arange(n) / n), tau, n)
    with pytest.warns(UserWarning, match="beyond what 80 Lanczos steps"):
        r = ms.entropy(ring(n), tau=tau, method="slq", seed=3)
    ok = r.data["resolved"]
    assert ok[tau <= 500].all() and not ok[(tau > 2000) & (tau < 1e5)].any()
    assert np.abs(r.specific_heat - C0)[ok].max() < 0.03
    assert np.abs(r.entropy - S0)[ok].max() < 0.005
    again = ms.entropy(ring(n), tau=tau[:5], method="slq", seed=3)
    np.testing.assert_array_equal(again.specific_heat, r.specific_heat[:5])  # same seed, same estimate


@pytest.mark.slow
def test_lrg_stochastic_quadrature_agrees_with_the_dense_spectrum():
    g = ux.generators.random_geometric(2500, mean_degree=8, seed=4)
    tau = np.logspace(-2, 4, 25)
    dense = ms.entropy(g, tau=tau, method="dense")
    slq = ms.entropy(g, tau=tau, method="slq")
    assert slq.data["resolved"].all()  # an RGG's low modes are few: the exact ones cover large tau
    assert np.abs(dense.entropy - slq.entropy).max() < 0.005
    assert np.abs(dense.specific_heat - slq.specific_heat).max() < 0.05
    # 400 disjoint 10-rings: past 256 components only the null space is deflated (exactly, by indicators)
    i = np.arange(4000)
    rings = ux.Graph.from_arrays(i, (i // 10) * 10 + (i % 10 + 1) % 10, n=4000)
    tau = np.logspace(-2, 3, 21)
    dense = ms.entropy(rings, tau=tau, method="dense")
    with pytest.warns(UserWarning, match="raise steps"):
        slq = ms.entropy(rings, tau=tau, method="slq")
    ok = slq.data["resolved"]
    assert ok.sum() >= 15
    assert np.abs(dense.specific_heat - slq.specific_heat)[ok].max() < 0.05
    with pytest.raises(ValueError, match="method"):
        ms.entropy(g, method="lanczos")
    with pytest.raises(ValueError, match="too few"):
        ms.entropy(ring(60), method="slq")


def test_lrg_supernodes_of_two_cliques():
    g = two_cliques()
    for tau in (0.8, 1.0, 3.0, 10.0, 100.0):
        labels = ms.supernodes(g, tau)
        assert len(set(labels)) == 2, tau
        assert len(set(labels[:5])) == 1 and len(set(labels[5:])) == 1
    for tau in (0.1, 0.5, 0.7):
        assert len(set(ms.supernodes(g, tau))) == 10, tau


def test_supra_laplacian_lambda2_is_twice_the_coupling():
    g = ring(64)
    lam2 = 2 * (1 - np.cos(2 * np.pi / 64))
    assert lam2 / 2 == pytest.approx(0.004815, abs=1e-6)
    for p in (0.001, 0.003, 0.0048):
        assert ms.multiplex(g, g, p).algebraic_connectivity() == pytest.approx(2 * p, rel=1e-9)
    assert ms.multiplex(g, g, 0.01).algebraic_connectivity() == pytest.approx(lam2, rel=1e-9)  # above p*


def test_multilayer_shortest_paths_pay_transfer_costs():
    street = ux.Graph.from_arrays([0, 1, 2], [1, 2, 3], n=4, edge_attrs={"length": [10.0, 10.0, 10.0]})
    metro = ux.Graph.from_arrays([0], [1], n=2, edge_attrs={"length": [1.0]})
    ml = ms.Multilayer({"street": street, "metro": metro})
    ml.add_transfers("street", [0, 3], "metro", [0, 1], cost=2.0, kind="station")
    d = ml.shortest_paths("street", 0)
    assert d["street"][3] == pytest.approx(5.0)  # 2 + 1 + 2 through the metro, not 30 on foot
    assert d["street"][2] == pytest.approx(15.0)  # back from the far station: 5 + 10
    assert ml.supra_adjacency().shape == (6, 6)
    with pytest.raises(ValueError, match="unknown layer"):
        ml.add_transfers("street", [0], "tram", [0])


def test_meshedness_and_basic_stats():
    assert ms.meshedness(ux.generators.square_lattice(100, 100)) == pytest.approx(0.4902, abs=1e-4)
    tree = ux.Graph.from_arrays([0, 0, 0], [1, 2, 3], n=4)
    assert ms.meshedness(tree) == 0.0
    g = ux.generators.square_lattice(10, 10)
    stats = ms.basic_stats(g.with_edge_attr("length", np.ones(g.m)))
    assert stats["n"] == 100 and stats["m"] == 180 and stats["intersection_count"] == 96
    assert stats["circuity_avg"] == pytest.approx(1.0)


def test_across_levels_gives_one_row_per_level():
    g = ux.generators.random_geometric(3000, mean_degree=6, seed=2)
    g = g.with_node_attr("population", np.ones(g.n))
    h = ux.Hierarchy.from_grid(g, cell=0.1, levels=2)
    perc = ms.across_levels(h, "bond", realizations=5, seed=1)
    assert list(perc.index) == list(range(h.num_levels)) and {"p_peak", "largest_at_half"} <= set(perc.columns)
    flows = ms.across_levels(h, "radiation")
    assert np.allclose(flows["total_flow"], 3000.0)
    with pytest.raises(ValueError, match="model"):
        ms.across_levels(h, "louvain")


def planted_partition(k=16, size=64, k_in=12.0, k_out=6.0, seed=0):
    rng = np.random.default_rng(seed)
    n = k * size
    block = np.repeat(np.arange(k), size)
    iu = np.triu_indices(n, 1)
    same = block[iu[0]] == block[iu[1]]
    keep = rng.random(iu[0].size) < np.where(same, k_in / (size - 1), k_out / (n - size))
    return ux.Graph.from_arrays(iu[0][keep], iu[1][keep], n=n), block


def nmi(a, b):
    """Normalised mutual information (arithmetic mean of the entropies)."""
    n = a.size
    joint = np.unique(np.stack([a, b]), axis=1, return_counts=True)[1] / n
    pa, pb = np.bincount(a) / n, np.bincount(b) / n
    pa, pb = pa[pa > 0], pb[pb > 0]
    keys = np.unique(np.stack([a, b]), axis=1)
    mi = np.sum(joint * np.log(joint / (np.bincount(a)[keys[0]] / n * np.bincount(b)[keys[1]] / n)))
    return 2 * mi / (-(pa * np.log(pa)).sum() - (pb * np.log(pb)).sum())


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_communities_recover_a_planted_partition(method):
    g, block = planted_partition()  # mixing k_out / k = 1/3
    res = ux.multiscale.communities(g, method=method, seed=3)
    assert nmi(res.final.astype(np.int64), block) >= 0.95
    q = res.modularity[-1]
    assert q == pytest.approx(ux.multiscale.modularity(g, res.final.astype(np.int64)), abs=1e-12)
    ig = g.to_igraph().community_multilevel()
    assert q >= 0.99 * ig.modularity
    assert np.all(np.diff(res.modularity) > 0)  # each level improves Q
    h = res.hierarchy(g)
    assert h.num_levels >= 2 and h.level(h.num_levels - 1).n == res.final.max() + 1


def test_leiden_communities_are_connected_and_thread_invariant(run_python):
    g = ux.generators.barabasi_albert(20_000, 2, seed=4)
    lei = ux.multiscale.communities(g, method="leiden", seed=1)
    assert np.all(lei.data["disconnected"] == 0)
    code = ("import urbplex as ux; g = ux.generators.random_geometric(20000, mean_degree=6, seed=2); "
            "r = ux.multiscale.communities(g, seed=5); print(r.final.tolist()[:50], r.modularity.tolist())")
    outs = {t: run_python(code, {"OMP_NUM_THREADS": t}).stdout for t in ("1", "2")}
    assert outs["1"] and outs["1"] == outs["2"]
    with pytest.raises(ValueError, match="method"):
        ux.multiscale.communities(g, method="infomap")
    with pytest.raises(ValueError, match="resolution"):
        ux.multiscale.communities(g, resolution=0)


def test_level_builders_and_multilayer_round_trip(tmp_path):
    # consolidation: pairs of nodes 0.1 apart on a coarse grid merge, the grid stays
    pts = np.array([(x, y) for x in range(5) for y in range(5)], dtype=float)
    x = np.r_[pts[:, 0], pts[:, 0] + 0.1]
    y = np.r_[pts[:, 1], pts[:, 1]]
    i = np.arange(25)
    g = ux.Graph.from_arrays(i, i + 25, n=50, node_attrs={"x": x, "y": y, "population": np.ones(50)})
    h = ms.consolidate(g, 0.2)
    assert h.level(1).n == 25 and h.info(1) == {"method": "consolidation", "scale": 0.2}
    assert h.report["disconnected"].iloc[0] == 0
    assert h.level(1).node("population").sum() == 50
    lone = ux.Graph.from_arrays([0], [1], n=3, node_attrs={"x": [0, 5, 0.1], "y": [0, 0, 0]})
    assert ms.consolidate(lone, 0.5).report["disconnected"].iloc[0] == 1  # 0 and 2 are close but not linked
    # Laplacian RG: the two cliques become two supernodes
    r = ms.renormalize(two_cliques(), 1.0, levels=3)
    assert [r.level(k).n for k in range(r.num_levels)][:2] == [10, 2]
    assert r.info(1)["method"] == "lrg"
    # multilayer HDF5 round trip
    street = ux.Graph.from_arrays([0, 1], [1, 2], n=3, edge_attrs={"length": [1.0, 2.0]})
    ml = ms.Multilayer({"street": street, "metro": street})
    ml.add_transfers("street", [0, 2], "metro", [0, 2], cost=3.0, kind="station")
    ml.save(tmp_path / "ml.h5", "city")
    back = ms.Multilayer.load(tmp_path / "ml.h5", "city")
    assert list(back.layers) == ["street", "metro"] and list(back.transfers["kind"]) == ["station", "station"]
    assert (back.supra_laplacian() != ml.supra_laplacian()).nnz == 0
    import matplotlib

    matplotlib.use("Agg")
    assert len(ms.plot_hierarchy(h)) == 2


def test_dense_rg_in_a_child_process_equals_in_process_and_leaves_no_folder(tmp_path, monkeypatch):
    import os
    import tempfile

    from urbplex import _interrupt

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(os.path, "isdir", lambda p, _isdir=os.path.isdir: False if p == "/dev/shm" else _isdir(p))
    orphan = tmp_path / f"{_interrupt._PREFIX}999999999-x"   # a folder left by a process that no longer exists
    orphan.mkdir()
    g = ux.generators.random_geometric(400, mean_degree=6, seed=3)
    direct = ux.multiscale.supernodes(g, tau=0.5)
    monkeypatch.setattr(_interrupt, "MIN_SIZE", 10)   # the child-process path on a small graph
    assert np.array_equal(ux.multiscale.supernodes(g, tau=0.5), direct)
    assert not any(p.name.startswith(_interrupt._PREFIX) for p in tmp_path.iterdir())
