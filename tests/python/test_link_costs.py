"""Conical (Spiess 1990) and Akcelik (1991) volume-delay functions in the assignment."""
import numpy as np
import pytest
from scipy import integrate, optimize

import urbplex as ux


def conical(x, t0, cap, a):
    b = (2 * a - 1) / (2 * a - 2)
    u = 1 - x / cap
    return t0 * (2 + np.sqrt(a * a * u * u + b * b) - a * u - b)


def akcelik(x, t0, cap, j, period):
    v = x / cap
    z = v - 1
    return t0 + period / 4 * (z + np.sqrt(z * z + 8 * j * v / (cap * period)))


def two_links(t0, cap):
    # nodes 0 -> 1 by two parallel links (1 is the destination); node 0 is the only zone
    g = ux.Graph.from_arrays([0, 0], [1, 1], n=2, directed=True,
                             edge_attrs={"capacity": cap, "free_flow_time": t0})
    return g


@pytest.mark.parametrize("kind", ["conical", "akcelik"])
def test_two_route_equilibrium_is_exact(kind):
    t0, cap, demand = np.array([10.0, 14.0]), np.array([600.0, 1500.0]), 2400.0
    g = two_links(t0, cap)
    trips = np.array([[0.0, demand], [0.0, 0.0]])
    if kind == "conical":
        f = lambda x, i: conical(x, t0[i], cap[i], 4.0)  # noqa: E731
        res = ux.routing.assign(g, trips, cost="conical", conical_alpha=4.0, gap=1e-10, max_iterations=5000,
                                first_thru_node=0)
    else:
        f = lambda x, i: akcelik(x, t0[i], cap[i], 0.4, 60.0)  # noqa: E731
        res = ux.routing.assign(g, trips, cost="akcelik", akcelik_j=0.4, period=60.0, gap=1e-10,
                                max_iterations=5000, first_thru_node=0)
    x1 = optimize.brentq(lambda x: f(x, 0) - f(demand - x, 1), 0, demand, xtol=1e-12)  # Wardrop: equal times
    np.testing.assert_allclose(res["flow"], [x1, demand - x1], rtol=1e-6)
    np.testing.assert_allclose(res["congested_time"], [f(x1, 0), f(demand - x1, 1)], rtol=1e-9)
    beckmann = sum(integrate.quad(lambda s: f(s, i), 0, res["flow"][i], epsabs=1e-12)[0] for i in range(2))
    assert res["beckmann"][0] == pytest.approx(beckmann, rel=1e-9)


def test_conical_matches_bpr_at_zero_and_capacity_and_stays_finite_beyond():
    t0, cap = np.array([5.0, 5.0]), np.array([100.0, 100.0])
    assert conical(0.0, 5.0, 100.0, 4.0) == pytest.approx(5.0) and conical(100.0, 5.0, 100.0, 4.0) == pytest.approx(10.0)
    g = two_links(t0, cap)
    res = ux.routing.assign(g, np.array([[0.0, 1000.0], [0.0, 0.0]]), cost="conical", gap=1e-8, first_thru_node=0)
    np.testing.assert_allclose(res["flow"], [500.0, 500.0], rtol=1e-6)  # 5x capacity: finite, symmetric
    assert np.isfinite(res["congested_time"]).all()


def test_sioux_falls_converges_with_every_cost():
    g, trips, meta, _ = ux.datasets.sioux_falls()
    gaps = {}
    for kind in ("bpr", "conical", "akcelik"):
        res = ux.routing.assign(g, trips, cost=kind, gap=1e-5, first_thru_node=meta["first_thru_node"])
        assert res["converged"][0] and res.parameters["cost"] == kind
        gaps[kind] = res["gaps"][-1]
    assert max(gaps.values()) <= 1e-5


def test_bad_cost_parameters_are_named():
    g = two_links(np.array([1.0, 1.0]), np.array([10.0, 10.0]))
    trips = np.array([[0.0, 5.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="argument 'conical_alpha': link 0 -> 1 has 1"):
        ux.routing.assign(g, trips, cost="conical", conical_alpha=1.0, first_thru_node=0)
    with pytest.raises(ValueError, match="argument 'cost'"):
        ux.routing.assign(g, trips, cost="davidson", first_thru_node=0)
    with pytest.raises(ValueError, match="argument 'period'"):
        ux.routing.assign(g, trips, cost="akcelik", period=0, first_thru_node=0)
