"""Attacks, interdependent networks, threshold/distance percolation, city clustering and cascades."""
import networkx as nx
import numpy as np
import pytest

import urbplex as ux
from urbplex.percolation import interdependent, theory


def test_schneider_robustness_random_removal():
    # R = integral of S_site(phi) for ER c=4 is 0.4031 (Schneider et al. 2011); theory gives it too.
    assert theory.robustness_random(theory.poisson(4.0)) == pytest.approx(0.4031, abs=0.001)
    g = ux.generators.erdos_renyi(200_000, mean_degree=4, seed=21)
    res = ux.percolation.attack(g, "random", realizations=16, seed=22)
    assert res.robustness == pytest.approx(0.4031, abs=0.01)


def test_targeted_attacks_are_more_damaging_and_adaptive_degree_is_exact():
    g = ux.generators.barabasi_albert(3000, 2, seed=5)
    R = {s: ux.percolation.attack(g, s, seed=1).robustness
         for s in ("random", "degree", "adaptive_degree", "betweenness")}
    assert R["adaptive_degree"] < R["degree"] < R["random"]
    assert R["betweenness"] < R["random"]
    # adaptive degree: every removed vertex has the highest degree among the remaining ones
    order = ux.percolation.removal_order(g, "adaptive_degree", seed=3)
    G = nx.Graph(g.to_networkx())
    for v in order[:200].tolist():
        assert G.degree(v) == max(d for _, d in G.degree())
        G.remove_node(v)


def test_adaptive_betweenness_matches_networkx_recomputation():
    g = ux.generators.erdos_renyi(120, mean_degree=3, seed=4)
    order = ux.percolation.removal_order(g, "adaptive_betweenness", seed=2)
    G = nx.Graph()
    G.add_nodes_from(range(g.n))
    G.add_edges_from(zip(g.edge_sources.tolist(), g.edge_targets.tolist()))
    for v in order[:30].tolist():
        b = nx.betweenness_centrality(G, normalized=False)
        assert b[v] == pytest.approx(max(b.values()), abs=1e-9)
        G.remove_node(v)


def test_attack_curve_by_hand():
    # Star with 4 leaves: removing the hub leaves singletons.
    star = ux.Graph.from_arrays([0, 0, 0, 0], [1, 2, 3, 4])
    res = ux.percolation.attack(star, "degree")
    assert res["order"][0] == 0
    np.testing.assert_allclose(res["largest"] * 5, [5, 1, 1, 1, 1, 0])
    assert res.robustness == pytest.approx(4 / 25)


def test_betweenness_matches_networkx():
    g = ux.generators.random_geometric(500, mean_degree=6, seed=3)
    G = nx.Graph()
    G.add_nodes_from(range(g.n))
    G.add_edges_from(zip(g.edge_sources.tolist(), g.edge_targets.tolist()))
    ref = nx.betweenness_centrality(G, normalized=False)
    np.testing.assert_allclose(g.betweenness(), [ref[v] for v in range(g.n)], rtol=1e-12, atol=1e-9)


def test_interdependent_er_threshold_and_curve():
    n, k = 200_000, 4.0
    a = ux.generators.erdos_renyi(n, mean_degree=k, seed=31)
    b = ux.generators.erdos_renyi(n, mean_degree=k, seed=32)
    res = ux.percolation.mutual_giant_component(a, b, p=[0.5, 0.7, 0.9], realizations=4, seed=33)
    assert res.threshold * k == pytest.approx(2.4554, abs=0.05)
    np.testing.assert_allclose(res["mcgc"], interdependent.theory_er(k, [0.5, 0.7, 0.9]), atol=0.01)
    assert interdependent.theory_er(k, 2.4554 / k - 0.002)[0] == 0.0  # no MCGC just below p_c


def test_threshold_percolation_bottleneck_by_hand():
    # Two triangles (values 0.9) joined by a bridge of value 0.3, plus a weak edge 0.1 inside one triangle.
    src = [0, 1, 2, 3, 4, 5, 2, 0]
    dst = [1, 2, 0, 4, 5, 3, 3, 2]
    val = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.3, 0.1]
    g = ux.Graph.from_arrays(src, dst, edge_attrs={"speed_ratio": val})
    res = ux.percolation.threshold(g)
    np.testing.assert_allclose(res["q"], [0.9, 0.3, 0.1])
    np.testing.assert_allclose(res["largest"] * 6, [3, 6, 6])
    np.testing.assert_allclose(res["second"] * 6, [3, 0, 0])
    assert res.q_c == 0.9 and res.bottlenecks.tolist() == [6]


def test_threshold_percolation_matches_brute_force():
    g = ux.generators.random_geometric(3000, mean_degree=5, seed=7)
    vals = np.random.default_rng(1).random(g.m).round(2)
    res = ux.percolation.threshold(g, vals)
    for i in (0, 10, 40, 70):
        q = res["q"][i]
        keep = vals >= q
        comps = ux.Graph.from_arrays(g.edge_sources[keep], g.edge_targets[keep], n=g.n).components()
        sizes = np.sort(comps.sizes)[::-1]
        assert round(res["largest"][i] * g.n) == sizes[0] and round(res["second"][i] * g.n) == sizes[1]
    with pytest.raises(ValueError, match="argument 'values'"):
        ux.percolation.threshold(g, np.full(g.m, np.nan))
    with pytest.raises(ValueError, match="attribute 'speed_ratio' does not exist"):
        ux.percolation.threshold(g)


def test_distance_percolation_and_hierarchy():
    # Two 5x5 unit lattices 10 apart joined by one edge of length 10.
    a = ux.generators.square_lattice(5)
    src = np.concatenate([a.edge_sources, a.edge_sources + 25, [4]])
    dst = np.concatenate([a.edge_targets, a.edge_targets + 25, [25]])
    length = np.concatenate([np.ones(a.m), 2 * np.ones(a.m), [10.0]])
    g = ux.Graph.from_arrays(src, dst, edge_attrs={"length": length})
    res = ux.percolation.distance(g)
    np.testing.assert_allclose(res["d"], [1, 2, 10])
    np.testing.assert_allclose(res["largest"] * 50, [25, 25, 50])
    np.testing.assert_allclose(res["clusters"], [26, 2, 1])
    assert res.jumps(1)["d"].tolist() == [10.0]
    h = ux.percolation.distance_hierarchy(g, [1.0, 2.0, 10.0])
    assert [h.level(k).n for k in range(4)] == [50, 26, 2, 1]
    assert h.info(2) == {"method": "distance_percolation", "scale": 2.0}
    h.check()
    with pytest.raises(ValueError, match="argument 'thresholds'"):
        ux.percolation.distance_hierarchy(g, [2.0, 1.0])


def test_city_clustering():
    # A 6x6 grid of 1 km cells: two blocks of dense cells and one isolated cell, diagonal gap of 2 cells.
    xs, ys = np.meshgrid(np.arange(6.0), np.arange(6.0))
    pop = np.zeros((6, 6))
    pop[0:2, 0:2] = 100
    pop[3:6, 3:6] = 50
    pop[0, 5] = 10
    cells = ux.Graph.from_arrays([], [], n=36, node_attrs={"x": xs.ravel(), "y": ys.ravel(), "population": pop.ravel()})
    labels, cities = ux.percolation.city_clustering(cells, threshold=20, ell=1.0)
    assert cities["population"].tolist() == [450.0, 400.0]
    assert cities["cells"].tolist() == [9, 4] and cities["area"].tolist() == [9.0, 4.0]
    assert labels.reshape(6, 6)[0, 5] == -1
    _, merged = ux.percolation.city_clustering(cells, threshold=0, ell=3.0)  # sqrt(8) < 3 joins the blocks
    assert merged["population"].tolist() == [860.0]
    with pytest.raises(ValueError, match="argument 'ell'"):
        ux.percolation.city_clustering(cells, ell=0)


def motter_lai_reference(G, alpha, first):
    """Straight from the paper, with networkx."""
    load0 = nx.betweenness_centrality(G, normalized=False)
    n0 = max(len(c) for c in nx.connected_components(G))
    H = G.copy()
    H.remove_node(first)
    while True:
        load = nx.betweenness_centrality(H, normalized=False)
        over = [v for v in H if load[v] > (1 + alpha) * load0[v] * (1 + 1e-12) + 1e-9]
        if not over:
            break
        H.remove_nodes_from(over)
    return max((len(c) for c in nx.connected_components(H)), default=0) / n0


def test_motter_lai_matches_reference_implementation():
    g = ux.generators.barabasi_albert(150, 2, seed=9)
    G = nx.Graph()
    G.add_nodes_from(range(g.n))
    G.add_edges_from(zip(g.edge_sources.tolist(), g.edge_targets.tolist()))
    alphas = [0.0, 0.2, 0.5, 1.0]
    res = ux.percolation.cascade(g, alphas)
    first = int(res["initial"][0])
    expected = [motter_lai_reference(G, a, first) for a in alphas]
    np.testing.assert_allclose(res["damage"], expected, atol=1e-12)
    assert res["damage"][0] < res["damage"][-1]


def test_pivot_loads_are_unbiased_and_all_pivots_are_exact():
    g = ux.generators.random_geometric(400, mean_degree=8, seed=4)
    exact = g.betweenness()
    every = ux._core.betweenness(g._g, None, None, np.arange(g.n, dtype=np.uint32))
    np.testing.assert_allclose(every, exact, rtol=1e-12)
    rng = np.random.default_rng(0)
    estimates = np.mean([ux._core.betweenness(g._g, None, None, np.sort(rng.choice(g.n, 40, replace=False))
                                              .astype(np.uint32)) for _ in range(300)], axis=0)
    top = np.argsort(exact)[-20:]  # the well-measured, high-load vertices
    np.testing.assert_allclose(estimates[top], exact[top], rtol=0.08)
    # A biased estimator (no n/k scaling) would be off by a factor of 10.


def test_cascade_with_pivots_warns_and_all_pivots_equal_exact():
    g = ux.generators.barabasi_albert(150, 2, seed=9)
    exact = ux.percolation.cascade(g, [0.0, 0.5])
    same = ux.percolation.cascade(g, [0.0, 0.5], sources=g.n)
    np.testing.assert_allclose(same["damage"], exact["damage"], atol=1e-12)
    assert ux.percolation.cascade(g, [0.5], sources=30, seed=1)["damage"].shape == (1,)
    with pytest.raises(ValueError, match="sources"):
        ux.percolation.cascade(g, [0.5], sources="some")
    big = ux.generators.random_geometric(25_000, mean_degree=6, seed=2)
    with pytest.warns(UserWarning, match="pivot estimates"):
        ux.percolation.cascade(big, [1.0])


def _merging_link_brute_force(g, values):
    """Lower q from q_c one edge at a time (scipy components each step, binary search):
    the first edge after which the two largest clusters of q_c are connected."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    src, dst = g.edge_sources.astype(np.int64), g.edge_targets.astype(np.int64)
    order = np.argsort(-values, kind="stable")

    def labels(k):
        e = order[:k]
        a = coo_matrix((np.ones(e.size), (src[e], dst[e])), shape=(g.n, g.n))
        return connected_components(a, directed=False)[1]

    sizes_at = lambda lab: np.bincount(lab)  # noqa: E731
    res = ux.percolation.threshold(g, values)
    kc = int(np.sum(values >= res.q_c))
    lab = labels(kc)
    big = np.argsort(-sizes_at(lab), kind="stable")[:2]
    v1, v2 = (int(np.flatnonzero(lab == c)[0]) for c in big)
    lo, hi = kc, g.m  # connected after hi edges, not after lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lm = labels(mid)
        lo, hi = (lo, mid) if lm[v1] == lm[v2] else (mid, hi)
    return int(order[hi - 1]), res


def test_bottleneck_is_the_merging_link():
    g = ux.generators.square_lattice(16)
    hits = 0
    for seed in range(200):
        values = np.random.default_rng(seed).random(g.m)
        link, res = _merging_link_brute_force(g, values)
        hits += int(res.bottlenecks[0]) == link
        assert res.bottlenecks.size == 1  # distinct values: no equal-value alternatives
    assert hits == 200


def test_susceptibility_is_the_sum_of_squared_cluster_sizes():
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    g = ux.generators.square_lattice(20)
    order = np.random.default_rng(3).permutation(g.m)
    res = ux.percolation.sweep(g, order, kind="bond")
    src, dst = g.edge_sources.astype(np.int64), g.edge_targets.astype(np.int64)
    for k in (0, 150, 380, 500, g.m):
        e = order[:k]
        _, lab = connected_components(coo_matrix((np.ones(k), (src[e], dst[e])), shape=(g.n, g.n)), directed=False)
        s = np.bincount(lab)
        assert res["susceptibility"][k] == pytest.approx(np.sum(s.astype(float) ** 2) / g.n, rel=1e-12)
    # canonical table and the micro frame carry it
    ens = ux.percolation.bond(g, realizations=20, seed=1)
    assert "susceptibility" in ens.canonical([0.5]).columns and "susceptibility" in ens.micro_frame().columns


def _wrapping_crossing(kind, graph_of_size, sizes, realizations, seed, lo, hi):
    """p where the 'either' wrapping probabilities of two system sizes cross (Newman & Ziff 2001)."""
    from scipy import optimize

    curves = [getattr(ux.percolation, kind)(graph_of_size(L), realizations=realizations, seed=seed, lattice=(L, L))
              for L in sizes]
    grid = np.linspace(lo, hi, 961)
    r_small, r_big = (c.wrapping_probability(grid, "either") for c in curves)
    d = r_small - r_big
    change = np.flatnonzero(np.sign(d[:-1]) != np.sign(d[1:]))
    j = change[np.argmin(np.abs(change - np.argmin(np.abs(r_big - 0.5))))]  # the crossing in the middle of the rise
    f = lambda p: (curves[0].wrapping_probability([p], "either") - curves[1].wrapping_probability([p], "either"))[0]  # noqa: E731
    return optimize.brentq(f, grid[j], grid[j + 1])


@pytest.mark.parametrize("kind,exact,lo,hi", [("bond", 1 - 2 * np.sin(np.pi / 18), 0.6, 0.72),
                                              ("site", 0.697043, 0.64, 0.76)])
def test_honeycomb_thresholds_from_wrapping(kind, exact, lo, hi):
    # 8 independent estimates from 64/128 tori, 400 realizations each: within 3 standard errors.
    est = [_wrapping_crossing(kind, lambda L: ux.generators.honeycomb_lattice(L, periodic=True), (64, 128), 400, s,
                              lo, hi) for s in range(8)]
    mean, se = np.mean(est), np.std(est, ddof=1) / np.sqrt(len(est))
    assert abs(mean - exact) < 3 * se and se < 0.002, (mean, se)


def test_lattice_generators_have_their_coordination():
    h = ux.generators.honeycomb_lattice(8, periodic=True)
    assert (h.n, h.m) == (64, 96) and set(h.degree()) == {3}
    open_h = ux.generators.honeycomb_lattice(6, 4)
    assert open_h.m == 4 * 5 + sum(1 for y in range(3) for x in range(6) if (x + y) % 2 == 0)
    c = ux.generators.cubic_lattice(5, periodic=True)
    assert (c.n, c.m) == (125, 375) and set(c.degree()) == {6}
    o = ux.generators.cubic_lattice(4, 3, 2)
    assert o.n == 24 and o.m == 3 * 3 * 2 + 4 * 2 * 2 + 4 * 3 * 1
    with pytest.raises(ValueError, match="even sizes"):
        ux.generators.honeycomb_lattice(5, periodic=True)


def test_cluster_sizes_on_a_chain_are_exact():
    # Infinite chain (Stauffer & Aharony Ch. 2): site n_s = (1-p)^2 p^s; bond n_s = (1-p)^2 p^(s-1) per vertex.
    n = 10**6
    chain = ux.Graph.from_arrays(np.arange(n - 1), np.arange(1, n), n=n)
    for kind, p in (("site", 0.7), ("bond", 0.6)):
        d = ux.percolation.cluster_sizes(chain, p, kind=kind, realizations=20, seed=1)
        s, ns = d["s"].to_numpy()[:6], d["n_s"].to_numpy()[:6]
        exact = (1 - p) ** 2 * p ** (s if kind == "site" else s - 1)
        np.testing.assert_allclose(ns, exact, rtol=0.005)
        occupied = p if kind == "site" else 1.0
        assert np.sum(d["s"] * d["n_s"]) == pytest.approx(occupied, rel=2e-3)


def _tau(d, lo=10, hi=5000, omega=72 / 91):
    """tau from log-binned n_s with the leading correction to scaling,
    n_s = A s^-tau (1 + B s^-omega) (omega = 72/91 in 2-D)."""
    from scipy import optimize

    s, ns = d["s"].to_numpy(), d["n_s"].to_numpy()
    edges = np.unique(np.logspace(np.log10(lo), np.log10(hi), 20).astype(int))
    dens = np.array([ns[(s >= a) & (s < b)].sum() / (b - a) for a, b in zip(edges[:-1], edges[1:])])
    mid = np.array([np.exp(np.mean(np.log(np.arange(a, b)))) for a, b in zip(edges[:-1], edges[1:])])
    law = lambda x, log_a, tau, b: log_a - tau * x + np.log1p(b * np.exp(-omega * x))  # noqa: E731
    (_, tau, _), _ = optimize.curve_fit(law, np.log(mid), np.log(dens), p0=[0.0, 2.0, 0.0])
    return tau


@pytest.mark.slow
def test_fisher_exponent_at_the_square_lattice_threshold():
    # n_s ~ s^-tau at p_c, tau = 187/91 (2-D): 1024^2 torus, 200 realizations (~3 s), s in [10, 5000).
    g = ux.generators.square_lattice(1024, periodic=True)
    d = ux.percolation.cluster_sizes(g, 0.5927460508, realizations=200, seed=2)
    assert _tau(d) == pytest.approx(187 / 91, abs=0.03)
    # well below p_c (xi ~ 10) the distribution is cut off exponentially: no large clusters
    below = ux.percolation.cluster_sizes(g, 0.45, realizations=5, seed=2)
    big_below = below["n_s"][below["s"] >= 1000].sum()
    assert big_below < 1e-2 * d["n_s"][d["s"] >= 1000].sum()


def test_cluster_sizes_do_not_depend_on_the_thread_count():
    g = ux.generators.square_lattice(64)
    runs = []
    for threads in (1, 2):
        with ux.threads(threads):
            runs.append(ux.percolation.cluster_sizes(g, 0.6, kind="bond", realizations=16, seed=5))
    assert runs[0].equals(runs[1])
    with pytest.raises(ValueError, match="argument 'p'"):
        ux.percolation.cluster_sizes(g, 1.5)


def test_three_d_wrapping_tracks_each_axis():
    """A column of sites along z wraps along z (and only z) when it closes."""
    L = 5
    g = ux.generators.cubic_lattice(L, periodic=True)
    column = [(z * L + 2) * L + 3 for z in range(L)]  # x = 3, y = 2
    rest = [v for v in range(g.n) if v not in column]
    res = ux.percolation.sweep(g, column + rest, kind="site", lattice=(L, L, L))
    assert res["wrap_d"][L - 1] == 0 and res["wrap_d"][L] == 1  # P(wrapped along z by step k)
    assert res["wrap_h"][L] == 0 and res["wrap_v"][L] == 0 and res["wrap_either"][L] == 1
    assert res["wrap_both"][L] == 0 and res["wrap_both"][-1] == 1
    with pytest.raises(ValueError, match="sites do not match"):
        ux.percolation.site(g, realizations=1, lattice=(L, L, L + 1))


@pytest.mark.parametrize("kind, known", [("site", 0.3116077), ("bond", 0.2488126)])
@pytest.mark.slow
def test_simple_cubic_thresholds_from_wrapping_crossings(kind, known):
    """p_c where the 'either' wrapping curves of 16^3 and 32^3 tori cross; mean of 8
    seeded estimates of 400 realizations each within 3 sigma of the known value
    (site: Deng & Blöte 2005, bond: Wang et al. 2013)."""
    from scipy.optimize import brentq

    lattices = {L: ux.generators.cubic_lattice(L, periodic=True) for L in (16, 32)}
    estimates = []
    for seed in range(8):
        res = {L: getattr(ux.percolation, kind)(g, realizations=400, lattice=(L, L, L), seed=1000 * seed + L)
               for L, g in lattices.items()}
        gap = lambda p: (res[16].wrapping_probability(p, "either")[0]  # noqa: E731
                         - res[32].wrapping_probability(p, "either")[0])
        estimates.append(brentq(gap, known - 0.03, known + 0.03))
    mean, se = np.mean(estimates), np.std(estimates, ddof=1) / np.sqrt(len(estimates))
    assert abs(mean - known) < 3 * se
    assert se < 0.001  # 3 sigma < 0.003: a neighbouring threshold (bcc site 0.2460 for bond 0.2488) fails


def test_kagome_lattice_structure():
    g = ux.generators.kagome_lattice(4, periodic=True)
    assert g.n == 48 and g.m == 96 and set(g.degree().tolist()) == {4}
    assert g.node_attr_types["lattice_x"] == "int64"
    # Unit bonds in real space.
    x, y = np.asarray(g.node("x")), np.asarray(g.node("y"))
    s, t = np.asarray(g.edge_sources), np.asarray(g.edge_targets)
    assert ux.generators.kagome_lattice(4).m < g.m  # the open lattice lacks the boundary bonds
    d = np.hypot(x[s] - x[t], y[s] - y[t])
    assert np.allclose(d[d < 2], 1.0)  # bonds that do not cross the periodic boundary


@pytest.mark.parametrize("kind, known, sizes", [("site", 1 - 2 * np.sin(np.pi / 18), (64, 128)),
                                                ("bond", 0.5244053, (32, 64))])
@pytest.mark.slow
def test_kagome_thresholds_from_wrapping_crossings(kind, known, sizes):
    """Wrapping tracked through the lattice_x/lattice_y coordinates (a quarter of the
    grid is empty); mean of 8 crossing estimates within 3 sigma of Sykes & Essam's
    exact site value and Ziff & Suding's bond value."""
    from scipy.optimize import brentq

    a, b = sizes
    lattices = {L: ux.generators.kagome_lattice(L, periodic=True) for L in sizes}
    estimates = []
    for seed in range(8):
        res = {L: getattr(ux.percolation, kind)(g, realizations=400, lattice=(2 * L, 2 * L), seed=1000 * seed + L)
               for L, g in lattices.items()}
        gap = lambda p: (res[a].wrapping_probability(p, "either")[0]  # noqa: E731
                         - res[b].wrapping_probability(p, "either")[0])
        estimates.append(brentq(gap, known - 0.015, known + 0.015))
    mean, se = np.mean(estimates), np.std(estimates, ddof=1) / np.sqrt(len(estimates))
    assert abs(mean - known) < 3 * se and se < 0.001
